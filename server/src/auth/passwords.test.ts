import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newToken, verifyPassword } from './passwords.ts';

describe('passwords and tokens', () => {
  it('verifies the right password only', async () => {
    const h = await hashPassword('网格2026!');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('网格2026!', h)).toBe(true);
    expect(await verifyPassword('wrong', h)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('a')).not.toBe(await hashPassword('a'));
  });
  it('stores tokens keyed by the secret', () => {
    const t = newToken();
    expect(t.length).toBeGreaterThanOrEqual(43);
    expect(hashToken(t, 's1')).not.toBe(hashToken(t, 's2'));
    expect(hashToken(t, 's1')).toBe(hashToken(t, 's1'));
  });
});
