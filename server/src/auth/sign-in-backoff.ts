// Password guessing against one account from many addresses: the per-address budget (limits.logins)
// does not see it, so each account name has a back-off of its own, whatever the address. The
// first FREE_FAILURES wrong passwords in a row cost nothing (a person mistyping); each one after
// locks the name for twice as long as the one before, from FIRST_LOCK_MS up to MAX_LOCK_MS, and
// while it is locked every attempt is refused unchecked, the right password included. A success
// clears the name; failures older than FORGET_MS are forgotten. The state is in memory, per
// server process: N processes behind a balancer allow up to N times the attempts.

export const FREE_FAILURES = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 15 * 60_000;
const FORGET_MS = 60 * 60_000;
const MAX_NAMES = 100_000;

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

export type SignInGate = { open: true } | { open: false; retryAfterSeconds: number };

export class SignInBackoff {
  private readonly names = new Map<string, Failures>();

  /** Whether an attempt for `username` may be checked now, or how long it must wait. */
  gate(username: string, now = Date.now()): SignInGate {
    const f = this.current(username, now);
    if (!f || f.lockedUntil <= now) return { open: true };
    return { open: false, retryAfterSeconds: Math.ceil((f.lockedUntil - now) / 1000) };
  }

  /** Counts a wrong password for `username`; past the free ones, locks it (doubling each time). */
  failed(username: string, now = Date.now()): void {
    const f = this.current(username, now) ?? { count: 0, lastAt: now, lockedUntil: 0 };
    f.count += 1;
    f.lastAt = now;
    if (f.count >= FREE_FAILURES) {
      const lock = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(20, f.count - FREE_FAILURES));
      f.lockedUntil = now + lock;
    }
    // Re-insert: Map order is the least-recently-failed order, the first to go when full.
    this.names.delete(username);
    if (this.names.size >= MAX_NAMES) this.names.delete(this.names.keys().next().value!);
    this.names.set(username, f);
  }

  /** A correct password: the account starts afresh. */
  succeeded(username: string): void {
    this.names.delete(username);
  }

  private current(username: string, now: number): Failures | undefined {
    const f = this.names.get(username);
    if (f && now - f.lastAt > FORGET_MS && f.lockedUntil <= now) {
      this.names.delete(username);
      return undefined;
    }
    return f;
  }
}
