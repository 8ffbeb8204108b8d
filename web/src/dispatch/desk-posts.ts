import {
  ALL_READERS,
  commandsOfPosts,
  DESK_REPORTERS,
  POSTS_OF_ROLE,
  type Role,
  type RuledCommand,
} from '@gcc/shared';
import { useMemo } from 'react';

/** Posts that see the command-center picture (map, workers, live streams): the API's readers. */
const LIVE_ROLES: ReadonlySet<Role> = new Set(ALL_READERS);
/** Posts that take reports at the desk (cases.report): hotline intake, inspectors, dispatchers. */
const REPORTERS: ReadonlySet<Role> = new Set(DESK_REPORTERS);

/** What the signed-in role makes of the desk: which streams it follows and which actions it offers. */
export interface DeskPosts {
  /** Live streams (events, roster) and the map; the supervising desks read cases only, polled. */
  live: boolean;
  /** A department desk (专业部门): the map and its own cases, polled; no live streams. */
  department: boolean;
  /** The city and grid map is shown. */
  mapped: boolean;
  /** The commands this role's posts may ever run: their buttons and keys are offered. */
  commands: ReadonlySet<RuledCommand>;
  /** 受理登记 (cases.report) at the desk. */
  canReport: boolean;
  /** 批量派遣 is the dispatcher's (dispatch.assignBulk); other desks get no ticks. */
  canBulk: boolean;
}

export function useDeskPosts(role: Role | undefined): DeskPosts {
  return useMemo(() => {
    const live = role !== undefined && LIVE_ROLES.has(role);
    const department = role === 'department';
    return {
      live,
      department,
      mapped: live || department,
      commands: new Set(role ? commandsOfPosts(POSTS_OF_ROLE[role]) : []),
      canReport: role !== undefined && REPORTERS.has(role),
      canBulk: role === 'dispatcher',
    };
  }, [role]);
}
