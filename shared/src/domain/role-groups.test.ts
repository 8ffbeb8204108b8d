import { describe, expect, it } from 'vitest';
import { ALL_READERS, CASE_DESKS, CASE_READERS, DESKS_OF_ROLE, PLANNERS, type Desk } from './role-groups.ts';
import { ROLES, type Role } from './schemas.ts';

// Where each role lands and what its header links: only desks whose data the server serves it.
const READS: Readonly<Record<Desk, readonly Role[]>> = {
  wall: ALL_READERS,
  dispatch: CASE_DESKS,
  plan: PLANNERS,
  analytics: CASE_READERS,
  admin: ['admin'],
};

describe('the desks of each role', () => {
  it('lists only desks the role may read, its own desk first', () => {
    for (const role of ROLES)
      for (const desk of DESKS_OF_ROLE[role]) expect(READS[desk], `${role} → ${desk}`).toContain(role);
    expect(DESKS_OF_ROLE.planner[0]).toBe('plan');
    expect(DESKS_OF_ROLE.wall[0]).toBe('wall');
    expect(DESKS_OF_ROLE.dispatcher[0]).toBe('dispatch');
    expect(DESKS_OF_ROLE.intake[0]).toBe('dispatch');
    expect(DESKS_OF_ROLE.department).toEqual(['dispatch']);
    expect(DESKS_OF_ROLE.admin[0]).toBe('admin');
  });
});
