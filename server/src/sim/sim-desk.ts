import { and, inArray, isNull } from 'drizzle-orm';
import type {
  CaseCommand,
  CaseId,
  CaseSource,
  CaseStatus,
  CaseTier,
  Role,
  UnitId,
  UserId,
} from '@gcc/shared';
import { translate } from '@gcc/shared/messages';
import { CaseCommandError } from '../cases/case-errors.ts';
import type { CommandActor } from '../cases/case-access.ts';
import { cases, users } from '../db/schema.ts';
import { roleFitForCategory } from '../dispatch/recommender.ts';
import type { Services } from '../services.ts';

/** What this part uses of the services (not the whole composition root). */
type SimDeskDeps = Pick<
  Services,
  'boundary' | 'caseReads' | 'cases' | 'config' | 'database' | 'deadlines' | 'dispatch' | 'log'
>;

// The simulated command center (指挥中心 and 监督中心): it works the cases that wait for a desk,
// each after a human-like delay in simulated time, through CaseService.command with the case
// version it saw — the same path as the console. Intake registers (立案) or rejects (不予立案),
// the dispatcher sends each registered case to the DispatchAdvisor's first recommendation
// (calling departments in first for a 难事联办 case), the inspector verifies handled cases
// (a share fails: 返工), the shift lead closes verified ones and evaluates some.

/**
 * The simulated desk's own actors: users that cannot sign in (no password), named as simulated
 * in every timeline, so nobody signed in as `dispatcher` finds steps they never took as theirs.
 */
export const SIM_ACTORS = [
  { username: 'sim:intake', role: 'intake', name: 'sim.actor.intake' },
  { username: 'sim:dispatcher', role: 'dispatcher', name: 'sim.actor.dispatcher' },
  { username: 'sim:inspector', role: 'inspector', name: 'sim.actor.inspector' },
  { username: 'sim:shiftlead', role: 'shift-lead', name: 'sim.actor.shiftLead' },
] as const satisfies readonly { username: string; role: Role; name: string }[];

const MINUTE = 60;
/** Share of reports not registered by source (duplicates, outside the remit); about 3% overall, as the seeded history. */
const REJECT_SHARE: Readonly<Record<CaseSource, number>> = {
  patrol: 0.015,
  hotline: 0.09,
  resident: 0.08,
  sensor: 0.05,
  superior: 0,
};
/** Simulated minutes from report to registration, by source (a patrol report is read at once, a hotline call is written up). */
const REGISTER_MIN: Readonly<Record<CaseSource, [number, number]>> = {
  patrol: [1, 8],
  hotline: [3, 20],
  resident: [5, 30],
  sensor: [1, 6],
  superior: [5, 30],
};
const DISPATCH_MIN: [number, number] = [1, 8];
/** The inspector goes out to look (核查). */
const VERIFY_MIN: [number, number] = [10, 40];
const CLOSE_MIN: [number, number] = [3, 20];
const EVALUATE_MIN: [number, number] = [20, 120];
const EVALUATE_SHARE = 0.4;
/** With nobody available to send, the dispatcher looks again a little later. */
const RETRY_MIN: [number, number] = [3, 8];
const MAX_ACTIONS_PER_TICK = 25;

/** Departments called by a whistle (吹哨) for a hard case, by major class (codes of the demo city's department table). */
function departmentsFor(category: string): string[] {
  if (category.startsWith('S04')) return ['emergency', 'urban-management'];
  if (category.startsWith('B01')) return ['municipal'];
  if (category.startsWith('B02')) return ['transport'];
  return ['urban-management'];
}

interface Pending {
  status: CaseStatus;
  version: number;
  dueAt: number;
}

export interface SimDesk {
  /** Looks at the cases waiting for a desk and runs the steps that are due. */
  tick(now: number): Promise<void>;
  /** Steps run so far, by command (for logs and tests). */
  readonly done: Record<string, number>;
}

/** Creates the simulated desk's users when absent (any mode: they cannot sign in) and returns their ids. */
export async function ensureSimActors(
  db: SimDeskDeps['database']['db'],
  unitId: number | null,
  now = Date.now(),
): Promise<{ id: UserId; username: string }[]> {
  if (unitId !== null) {
    // Two processes may start at once: insert-or-ignore, then read. '!' is no password hash: no sign-in.
    await db
      .insert(users)
      .values(
        SIM_ACTORS.map((a) => ({
          username: a.username,
          displayName: translate(a.name, 'zh-CN'),
          role: a.role,
          unitId: unitId as UnitId,
          passwordHash: '!',
          demo: false,
          createdAt: now,
        })),
      )
      .onConflictDoNothing({ target: users.username });
  }
  return db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(
      inArray(
        users.username,
        SIM_ACTORS.map((a) => a.username),
      ),
    );
}

/** The simulated desk; `rnd` is the simulator's generator, `speed` its SIM_SPEED. */
export async function createSimDesk(
  services: SimDeskDeps,
  rnd: () => number,
  speed: number,
): Promise<SimDesk> {
  const log = services.log.child({ part: 'sim-desk' });
  const boundary = services.boundary();
  const root = boundary.units.find((u) => u.parentId === null);
  const rootId = root?.id ?? null;
  const rows = await ensureSimActors(services.database.db, rootId);
  const idOf = (name: (typeof SIM_ACTORS)[number]['username']) =>
    rows.find((r) => r.username === name)?.id ?? null;
  const at = (
    posts: CommandActor['posts'],
    userId: UserId | null,
    department: string | null = null,
  ): CommandActor => ({ userId, workerId: null, posts, unitId: rootId, unitLevel: 'city', department });
  const intake = at(['intake'], idOf('sim:intake'));
  const dispatcher = at(['dispatcher'], idOf('sim:dispatcher'));
  const inspector = at(['inspector'], idOf('sim:inspector'));
  const shiftLead = at(['shift-lead'], idOf('sim:shiftlead'));
  const reworkShare = services.config.SIM_REWORK_SHARE;

  const pending = new Map<CaseId, Pending>();
  /** Closed in this run and picked for an evaluation (评价), with when. */
  const toEvaluate = new Map<CaseId, { version: number; dueAt: number }>();
  const done: Record<string, number> = {};
  const later = (now: number, [lo, hi]: [number, number]) =>
    now + ((lo + rnd() * (hi - lo)) * MINUTE * 1000) / speed;
  const count = (what: string) => {
    done[what] = (done[what] ?? 0) + 1;
  };

  const run = async (id: CaseId, command: CaseCommand, actor: CommandActor, now: number) => {
    const r = await services.cases.command(id, command, actor, { at: now });
    count(command.type);
    return r.case;
  };

  const dispatch = async (id: CaseId, version: number, now: number): Promise<'done' | 'retry'> => {
    const found = await services.caseReads.state(id);
    if (!found) return 'done';
    const { state } = found;
    let v = version;
    // 难事联办: the street blows the whistle and the departments report in before anyone is sent.
    if (state.tier === 'hard' && state.calledDepartments.length === 0) {
      const departments = departmentsFor(state.category);
      v = (
        await run(
          id,
          {
            type: 'whistle',
            departments,
            reason: translate('sim.whistleReason', 'zh-CN'),
            expectedVersion: v,
          },
          dispatcher,
          now,
        )
      ).version;
      for (const d of departments)
        v = (
          await run(
            id,
            { type: 'checkIn', department: d, expectedVersion: v },
            at(['department'], null, d),
            now,
          )
        ).version;
    } else if (state.pendingDepartments.length > 0) {
      for (const d of state.pendingDepartments)
        v = (
          await run(
            id,
            { type: 'checkIn', department: d, expectedVersion: v },
            at(['department'], null, d),
            now,
          )
        ).version;
    }
    const advisor = await services.dispatch.advisor();
    const load = await services.dispatch.load(now);
    const c = (await services.caseReads.byIds([id])).get(id);
    if (!c) return 'done';
    const reporter = (await services.caseReads.reportersOf([id])).get(id) ?? null;
    const [first] = advisor.rank(
      {
        lng: c.lng,
        lat: c.lat,
        gridId: c.gridId,
        roleFit: roleFitForCategory(c.category),
        limit: 5,
        heardSince: now - 10 * 60_000,
        reporterWorkerId: reporter,
      },
      load,
      now,
    );
    if (!first) return 'retry';
    await run(
      id,
      { type: 'dispatch', workerId: first.workerId, department: null, expectedVersion: v },
      dispatcher,
      now,
    );
    return 'done';
  };

  const act = async (id: CaseId, p: Pending, now: number): Promise<void> => {
    switch (p.status) {
      case 'reported': {
        const c = (await services.caseReads.byIds([id])).get(id);
        if (!c) return;
        if (rnd() < REJECT_SHARE[c.source as CaseSource]) {
          await run(
            id,
            { type: 'reject', reason: translate('sim.rejectReason', 'zh-CN'), expectedVersion: p.version },
            intake,
            now,
          );
          return;
        }
        const tier: CaseTier = services.deadlines.categoryOf(c.category)?.tier ?? 'small';
        await run(id, { type: 'register', tier, expectedVersion: p.version }, intake, now);
        return;
      }
      case 'registered':
        if ((await dispatch(id, p.version, now)) === 'retry')
          pending.set(id, { ...p, dueAt: later(now, RETRY_MIN) });
        return;
      case 'handled': {
        const passed = rnd() >= reworkShare;
        await run(
          id,
          {
            type: 'verify',
            passed,
            note: translate(passed ? 'sim.verifyPassed' : 'sim.verifyFailed', 'zh-CN'),
            expectedVersion: p.version,
          },
          inspector,
          now,
        );
        return;
      }
      case 'verified': {
        const c = await run(id, { type: 'close', expectedVersion: p.version }, shiftLead, now);
        if (rnd() < EVALUATE_SHARE)
          toEvaluate.set(id, { version: c.version, dueAt: later(now, EVALUATE_MIN) });
        return;
      }
      default:
    }
  };

  const delayFor = (status: CaseStatus, source: string): [number, number] =>
    status === 'reported'
      ? (REGISTER_MIN[source as CaseSource] ?? REGISTER_MIN.hotline)
      : status === 'registered'
        ? DISPATCH_MIN
        : status === 'handled'
          ? VERIFY_MIN
          : CLOSE_MIN;

  return {
    done,
    async tick(now) {
      const waiting = await services.database.db
        .select({ id: cases.id, status: cases.status, version: cases.version, source: cases.source })
        .from(cases)
        .where(
          and(
            inArray(cases.status, ['reported', 'registered', 'handled', 'verified']),
            isNull(cases.parkedAt),
            isNull(cases.mergedInto),
          ),
        )
        .limit(5000);
      const seen = new Set<number>();
      for (const r of waiting) {
        seen.add(r.id);
        const p = pending.get(r.id);
        if (p && p.status === r.status && p.version === r.version) continue;
        pending.set(r.id, {
          status: r.status as CaseStatus,
          version: r.version,
          dueAt: later(now, delayFor(r.status as CaseStatus, r.source)),
        });
      }
      for (const id of pending.keys()) if (!seen.has(id)) pending.delete(id);

      let actions = 0;
      for (const [id, p] of pending) {
        if (p.dueAt > now || actions >= MAX_ACTIONS_PER_TICK) continue;
        actions++;
        pending.delete(id);
        try {
          await act(id, p, now);
        } catch (err) {
          // Someone else (a person at the console, the overdue timer) moved the case first: look again next tick.
          if (err instanceof CaseCommandError)
            log.debug({ caseId: id, reason: err.reason }, 'desk step refused');
          else throw err;
        }
      }
      for (const [id, e] of toEvaluate) {
        if (e.dueAt > now || actions >= MAX_ACTIONS_PER_TICK) continue;
        actions++;
        toEvaluate.delete(id);
        const r = rnd();
        const rating = r < 0.85 ? 'satisfied' : r < 0.97 ? 'basic' : 'unsatisfied';
        await run(
          id,
          { type: 'evaluate', rating, note: '', expectedVersion: e.version },
          shiftLead,
          now,
        ).catch((err: unknown) => {
          if (!(err instanceof CaseCommandError)) throw err;
        });
      }
    },
  };
}
