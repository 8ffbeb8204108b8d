import {
  holdsCase,
  authorizeCaseCommand,
  legalCommands,
  type CaseActorContext,
  type CasePost,
  type CaseState,
  type GridId,
  type ResponsibleLevel,
  type RuledCommand,
  type UnitId,
  type UserId,
  type WorkerId,
} from '@gcc/shared';
import type { Boundary } from '../spatial/boundary.ts';
import { CaseCommandError } from './case-errors.ts';

// Who may do what to a case: the rule table (posts, 属地, level) over the engine's legal steps,
// for the write side (refusals) and the read side (allowed actions, the 待处理 queue).

/** Who runs a case command, as the engine (event actor) and the rule table (posts, 属地) see them. */
export interface CommandActor {
  userId: UserId | null;
  workerId: WorkerId | null;
  department?: string | null;
  posts: readonly CasePost[];
  /** Jurisdiction (属地); null for the system. */
  unitId: UnitId | null;
  unitLevel: ResponsibleLevel | null;
}

/** The server's own timer (overdue escalation, closing merged duplicates). */
export const SYSTEM_ACTOR: CommandActor = {
  userId: null,
  workerId: null,
  posts: ['system'],
  unitId: null,
  unitLevel: null,
};

/** Who reports a case (a desk user or a worker's device). */
export interface Actor {
  userId: UserId | null;
  workerId: WorkerId | null;
}

export function engineActor(a: CommandActor): CaseActorContext {
  return { userId: a.userId, workerId: a.workerId, department: a.department ?? null };
}

export class CaseAccess {
  constructor(private readonly boundary: () => Boundary) {}

  /** The rule-table actor of a signed-in user: posts from the login role, level from the user's unit. */
  unitLevelOf(unitId: UnitId): ResponsibleLevel | null {
    return this.boundary().unitById.get(unitId)?.level ?? null;
  }

  private contains = (unitId: UnitId, gridId: GridId): boolean => this.boundary().gridInUnit(gridId, unitId);

  /** Refuses (CaseCommandError) a command the actor's posts, jurisdiction or level do not allow. */
  authorize(command: RuledCommand, actor: CommandActor, state: CaseState): void {
    const auth = authorizeCaseCommand(
      command,
      { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
      { gridId: state.gridId, level: state.level },
      this.contains,
    );
    if (!auth.ok) throw new CaseCommandError(auth.reason, command, state.id);
  }

  /** The commands the actor may run on a case now: the engine's legal steps ∩ the rule table (posts, 属地, level). */
  allowedFor(
    actor: CommandActor,
    state: Pick<
      CaseState,
      | 'status'
      | 'parkedAt'
      | 'closedAt'
      | 'gridId'
      | 'level'
      | 'assigneeId'
      | 'assigneeDepartment'
      | 'pendingDepartments'
    >,
    now = Date.now(),
  ): RuledCommand[] {
    return legalCommands(state, now).filter((c) => {
      const d = authorizeCaseCommand(
        c,
        { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
        { gridId: state.gridId, level: state.level },
        this.contains,
      );
      return d.ok && holdsCase(c, d.scope, state, actor);
    });
  }

  /** Whether the actor's posts and jurisdiction allow a command on a case (the engine's state checks apart). */
  authorized(
    command: RuledCommand,
    actor: CommandActor,
    state: Pick<CaseState, 'gridId' | 'level'>,
  ): boolean {
    return authorizeCaseCommand(
      command,
      { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
      { gridId: state.gridId, level: state.level },
      this.contains,
    ).ok;
  }
}
