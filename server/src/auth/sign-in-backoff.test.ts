import { describe, expect, it } from 'vitest';
import { FIRST_LOCK_MS, FREE_FAILURES, MAX_LOCK_MS, SignInBackoff } from './sign-in-backoff.ts';

describe('SignInBackoff', () => {
  it('lets a person mistype, then locks the name for longer and longer', () => {
    const b = new SignInBackoff();
    let now = 1_000_000;
    for (let i = 1; i < FREE_FAILURES; i++) {
      b.failed('admin', now);
      expect(b.gate('admin', now)).toEqual({ open: true });
    }
    b.failed('admin', now);
    expect(b.gate('admin', now)).toEqual({ open: false, retryAfterSeconds: FIRST_LOCK_MS / 1000 });
    expect(b.gate('dispatcher', now)).toEqual({ open: true });
    now += FIRST_LOCK_MS;
    expect(b.gate('admin', now)).toEqual({ open: true });
    b.failed('admin', now);
    expect(b.gate('admin', now)).toEqual({ open: false, retryAfterSeconds: (2 * FIRST_LOCK_MS) / 1000 });
    for (let i = 0; i < 30; i++) b.failed('admin', now);
    expect(b.gate('admin', now)).toEqual({ open: false, retryAfterSeconds: MAX_LOCK_MS / 1000 });
  });

  it('starts afresh after a success, and forgets old failures', () => {
    const b = new SignInBackoff();
    for (let i = 0; i < FREE_FAILURES - 1; i++) b.failed('planner', 0);
    b.succeeded('planner');
    b.failed('planner', 0);
    expect(b.gate('planner', 0)).toEqual({ open: true });
    for (let i = 0; i < FREE_FAILURES - 2; i++) b.failed('planner', 0);
    // An hour later the four failures no longer count.
    b.failed('planner', 2 * 3600_000);
    expect(b.gate('planner', 2 * 3600_000)).toEqual({ open: true });
  });
});
