import type { UserId } from '@gcc/shared';

/** What ends the live streams of one session or one user (the position sockets, on every process). */
export interface StreamEnder {
  endSession(token: string): void;
  endUser(userId: UserId): void;
}

/**
 * Sign-out and revocation end a user's live streams at once. The API calls this; whichever live
 * transports run (the position stream) register themselves when they start and leave when they
 * stop, so nothing patches the services after they are built.
 */
export class SessionStreams implements StreamEnder {
  private readonly enders = new Set<StreamEnder>();

  /** Adds a transport; returns its removal. */
  register(ender: StreamEnder): () => void {
    this.enders.add(ender);
    return () => this.enders.delete(ender);
  }

  endSession(token: string): void {
    for (const e of this.enders) e.endSession(token);
  }

  endUser(userId: UserId): void {
    for (const e of this.enders) e.endUser(userId);
  }
}
