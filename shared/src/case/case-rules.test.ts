import { gridId, unitId, workerId } from '../testing/ids.ts';
import { describe, expect, it } from 'vitest';
import { RESPONSIBLE_LEVELS, ROLES, type CaseStatus, type ResponsibleLevel } from '../domain/schemas.ts';
import type { GridId, UnitId } from '../ids.ts';
import { ALLOWED_COMMANDS } from './case-machine.ts';
import {
  actionableStatuses,
  authorizeCaseCommand,
  holdsCase,
  legalCommands,
  CASE_POSTS,
  CASE_RULES,
  commandsOfPosts,
  POSTS_OF_ROLE,
  RULED_COMMANDS,
  SIDE_OF_POST,
  type CasePost,
  type RuleActor,
  waitingStatuses,
  waitsFor,
} from './case-rules.ts';

const HOME = unitId(10);
const AWAY = unitId(20);
const GRID = gridId(7);
// The injected jurisdiction predicate: unit 10 contains grid 7, unit 20 does not.
const contains = (u: UnitId, g: GridId) => u === HOME && g === GRID;
const actor = (
  post: CasePost,
  unitId: UnitId | null,
  unitLevel: ResponsibleLevel | null = 'city',
): RuleActor => ({ posts: [post], unitId, unitLevel });

// The expected matrix, written by hand: who may run what (属地 aside). Supervising posts report,
// register, verify, close; the commanding post dispatches; handlers handle.
const MAY: Record<string, readonly CasePost[]> = {
  report: ['inspector', 'intake', 'dispatcher', 'grid-worker'],
  reportMicro: ['grid-worker'],
  register: ['intake', 'shift-lead'],
  reject: ['intake', 'shift-lead'],
  dispatch: ['dispatcher'],
  accept: ['department', 'grid-worker'],
  start: ['department', 'grid-worker'],
  feedback: ['department', 'grid-worker'],
  verify: ['inspector'],
  close: ['shift-lead'],
  evaluate: ['shift-lead'],
  return: ['dispatcher', 'department', 'grid-worker'],
  escalate: ['dispatcher', 'system'],
  whistle: ['dispatcher'],
  checkIn: ['department'],
  park: ['dispatcher'],
  unpark: ['dispatcher'],
  merge: ['dispatcher'],
  closeWithPrimary: ['system'],
};

describe('who may run each case command', () => {
  it('covers every command of the state machine', () => {
    const machine = new Set(Object.values(ALLOWED_COMMANDS).flat());
    for (const c of machine) expect(RULED_COMMANDS).toContain(c);
    expect(Object.keys(CASE_RULES).sort()).toEqual([...RULED_COMMANDS].sort());
  });

  it('enumerates every command × post × in/out of jurisdiction', () => {
    for (const command of RULED_COMMANDS) {
      for (const post of CASE_POSTS) {
        const allowed = MAY[command]!.includes(post);
        const scope = CASE_RULES[command][post];
        const inside = authorizeCaseCommand(
          command,
          actor(post, HOME),
          { gridId: GRID, level: 'grid' },
          contains,
        );
        const outside = authorizeCaseCommand(
          command,
          actor(post, AWAY),
          { gridId: GRID, level: 'grid' },
          contains,
        );
        const what = `${command} by ${post}`;
        expect(inside.ok, what).toBe(allowed);
        if (!allowed) {
          expect(inside, what).toMatchObject({ ok: false, reason: 'post-not-allowed' });
          expect(outside, what).toMatchObject({ ok: false, reason: 'post-not-allowed' });
        } else if (scope === 'unit') {
          expect(outside, what).toMatchObject({ ok: false, reason: 'outside-jurisdiction' });
        } else {
          // Assignment (checked by the machine) and the system's timer do not depend on the unit.
          expect(outside.ok, what).toBe(true);
        }
      }
    }
  });

  it('keeps the supervising side apart from the commanding side (GB/T 30428)', () => {
    for (const command of RULED_COMMANDS) {
      const sides = new Set(Object.keys(CASE_RULES[command]).map((p) => SIDE_OF_POST[p as CasePost]));
      if (['verify', 'close', 'evaluate', 'register', 'reject'].includes(command))
        expect([...sides], command).toEqual(['supervising']);
      if (['dispatch', 'whistle', 'merge', 'park', 'unpark'].includes(command))
        expect([...sides], command).toEqual(['commanding']);
    }
    // A handler never verifies: no handling post may verify or close.
    expect(
      CASE_RULES.verify.department ?? CASE_RULES.verify['grid-worker'] ?? CASE_RULES.close['grid-worker'],
    ).toBeUndefined();
    // No role holds posts on two sides.
    for (const role of ROLES)
      expect(new Set(POSTS_OF_ROLE[role].map((p) => SIDE_OF_POST[p])).size, role).toBeLessThanOrEqual(1);
  });

  it('lets a desk command only cases at or below its level', () => {
    const c = RESPONSIBLE_LEVELS.indexOf.bind(RESPONSIBLE_LEVELS);
    for (const own of RESPONSIBLE_LEVELS) {
      for (const level of RESPONSIBLE_LEVELS) {
        const d = authorizeCaseCommand(
          'dispatch',
          actor('dispatcher', HOME, own),
          { gridId: GRID, level },
          contains,
        );
        expect(d.ok, `${own} desk, ${level} case`).toBe(c(own) >= c(level));
        if (!d.ok) expect(d.reason).toBe('level-too-low');
      }
    }
    // Supervising posts are not limited by level: a community intake registers any case in its area.
    expect(
      authorizeCaseCommand(
        'register',
        actor('intake', HOME, 'community'),
        { gridId: GRID, level: 'district' },
        contains,
      ).ok,
    ).toBe(true);
  });

  it('maps the existing login roles to posts, keeping their users working', () => {
    expect(commandsOfPosts(POSTS_OF_ROLE.dispatcher)).toEqual([
      'report',
      'dispatch',
      'return',
      'escalate',
      'whistle',
      'park',
      'unpark',
      'merge',
    ]);
    expect(commandsOfPosts(POSTS_OF_ROLE.device)).toEqual([
      'report',
      'reportMicro',
      'accept',
      'start',
      'feedback',
      'return',
    ]);
    expect(commandsOfPosts(POSTS_OF_ROLE.admin)).toContain('report');
    expect(commandsOfPosts(POSTS_OF_ROLE.wall)).toEqual([]);
    expect(
      authorizeCaseCommand(
        'verify',
        { posts: [], unitId: HOME, unitLevel: 'city' },
        { gridId: GRID, level: 'grid' },
        contains,
      ),
    ).toMatchObject({ ok: false, reason: 'post-not-allowed' });
  });
});

describe("what a post can act on (the desk's 待处理 queue)", () => {
  it('a dispatcher acts on cases before handling is reported, never on handled or verified ones (those wait for 核查/结案)', () => {
    const { statuses, parked } = actionableStatuses(POSTS_OF_ROLE.dispatcher);
    expect(statuses).toEqual(['reported', 'registered', 'dispatched', 'accepted', 'handling']);
    expect(parked).toBe(true);
  });

  it('the supervising posts act where their steps are: intake on reports, the inspector on handled cases, the shift lead on verified and closed ones', () => {
    expect(actionableStatuses(POSTS_OF_ROLE.intake).statuses).toEqual(['reported']);
    expect(actionableStatuses(POSTS_OF_ROLE.inspector).statuses).toEqual(['handled']);
    expect(actionableStatuses(POSTS_OF_ROLE['shift-lead']).statuses).toEqual([
      'reported',
      'verified',
      'closed',
    ]);
    for (const role of ['intake', 'inspector', 'shift-lead'] as const)
      expect(actionableStatuses(POSTS_OF_ROLE[role]).parked).toBe(false);
    expect(actionableStatuses(POSTS_OF_ROLE.wall)).toEqual({ statuses: [], parked: false });
  });

  it("agrees with the rule table: a status is listed exactly when some legal command there is the post's", () => {
    for (const role of ROLES) {
      const mine = new Set(commandsOfPosts(POSTS_OF_ROLE[role]));
      const { statuses } = actionableStatuses(POSTS_OF_ROLE[role]);
      for (const status of Object.keys(ALLOWED_COMMANDS) as (keyof typeof ALLOWED_COMMANDS)[]) {
        expect(statuses.includes(status), `${role} ${status}`).toBe(
          legalCommands({ status, parkedAt: null }).some((c) => mine.has(c)),
        );
      }
    }
  });

  it('a parked case allows only unparking; merging only before dispatch', () => {
    expect(legalCommands({ status: 'registered', parkedAt: 1 })).toEqual(['unpark']);
    expect(legalCommands({ status: 'registered', parkedAt: null })).toContain('merge');
    expect(legalCommands({ status: 'dispatched', parkedAt: null })).not.toContain('merge');
    expect(legalCommands({ status: 'evaluated', parkedAt: null })).toEqual([]);
  });
});

describe('which handler holds a case (the rule table lets every holder of the post through; the case decides)', () => {
  const sent = {
    assigneeId: null,
    assigneeDepartment: 'urban-management',
    pendingDepartments: ['emergency'],
  } as const;
  const urban = { workerId: null, department: 'urban-management' };
  const emergency = { workerId: null, department: 'emergency' };
  it("handling steps are the assignee department's, not another department's", () => {
    for (const c of ['accept', 'start', 'feedback', 'return'] as const) {
      expect(holdsCase(c, 'assignment', sent, urban)).toBe(true);
      expect(holdsCase(c, 'assignment', sent, emergency)).toBe(false);
    }
  });
  it('报到 is for a called department that has not reported in', () => {
    expect(holdsCase('checkIn', 'unit', sent, emergency)).toBe(true);
    expect(holdsCase('checkIn', 'unit', sent, urban)).toBe(false);
    expect(holdsCase('checkIn', 'unit', { ...sent, pendingDepartments: [] }, emergency)).toBe(false);
  });
  it('a worker holds what was dispatched to it; unit-scoped steps are decided by 属地 alone', () => {
    const toWorker = { assigneeId: workerId(42), assigneeDepartment: null, pendingDepartments: [] };
    expect(holdsCase('accept', 'assignment', toWorker, { workerId: workerId(42) })).toBe(true);
    expect(holdsCase('accept', 'assignment', toWorker, { workerId: 43 })).toBe(false);
    expect(holdsCase('dispatch', 'unit', toWorker, { workerId: null })).toBe(true);
  });
});

describe('待处理: what a case waits for', () => {
  it('waits for the loop’s next step only: 派遣 of a registered case, not 改派 of one in progress, nothing when parked', () => {
    const dispatcher = commandsOfPosts(['dispatcher']);
    const may = (status: CaseStatus) =>
      legalCommands({ status, parkedAt: null }).filter((c) => dispatcher.includes(c));
    expect(waitsFor({ status: 'registered', parkedAt: null }, may('registered'))).toBe(true);
    expect(waitsFor({ status: 'dispatched', parkedAt: null }, may('dispatched'))).toBe(false);
    expect(waitsFor({ status: 'handling', parkedAt: null }, may('handling'))).toBe(false);
    expect(waitsFor({ status: 'registered', parkedAt: 5 }, ['unpark'])).toBe(false);
    expect(waitingStatuses(['dispatcher'])).toEqual(['registered']);
    expect(waitingStatuses(['inspector'])).toEqual(['handled']);
    expect(waitingStatuses(['intake'])).toEqual(['reported']);
  });
});
