import type { UserId } from '@gcc/shared';
/**
 * Open live streams per user on this process: position sockets and event subscriptions each
 * hold a slot while open. A wall account may drive many screens, so the cap is generous; it is
 * there so that one leaked session cannot open streams until the process runs out of memory.
 * Per process: behind a load balancer the whole cluster allows this many per node.
 */
export class StreamQuota {
  private readonly open = new Map<number, number>();

  constructor(private readonly perUser: number) {}

  /** Takes a slot for the user; the returned release (idempotent) gives it back, null when full. */
  acquire(userId: UserId): (() => void) | null {
    const n = this.open.get(userId) ?? 0;
    if (n >= this.perUser) return null;
    this.open.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left <= 0) this.open.delete(userId);
      else this.open.set(userId, left);
    };
  }

  /** Streams the user holds now (tests, diagnostics). */
  count(userId: UserId): number {
    return this.open.get(userId) ?? 0;
  }
}
