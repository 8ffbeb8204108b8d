import type { Role } from './schemas.ts';

// Who reads and does what, by login role: the server's procedures declare these, and the web
// shows a desk only what its role may use — one list for both, so they cannot drift apart.

/**
 * The posts of the supervising center (GB/T 30428). The standard keeps their *commands* apart
 * from the commanding side's (case-rules.ts); what they see is the same command-center picture.
 */
export const SUPERVISING_ROLES: readonly Role[] = ['inspector', 'intake', 'shift-lead'];
/** Who reads the command-center picture: map, grids, workers, alerts, cases and the live streams. */
export const ALL_READERS: readonly Role[] = ['admin', 'dispatcher', 'planner', 'wall', ...SUPERVISING_ROLES];
/** Who reads cases (the same posts). */
export const CASE_READERS: readonly Role[] = ALL_READERS;
/** Who reads cases at a desk: the readers, and handling departments (专业部门) — only the cases they were sent or called to. */
export const CASE_DESKS: readonly Role[] = [...CASE_READERS, 'department'];
/** Who reads the city's outline, units and grids (the desks' maps): every desk; a department's map shows its own cases on it. */
export const MAP_READERS: readonly Role[] = CASE_DESKS;
/** Who runs case commands through the API; the rule table (case-rules.ts) decides which ones (a department desk: 报到, and handling what it was sent). */
export const CASE_ACTORS: readonly Role[] = ['admin', 'dispatcher', ...SUPERVISING_ROLES, 'department'];
/** Who takes reports at a desk (受理登记: hotline calls, residents, patrols); devices report through their own API. */
export const DESK_REPORTERS: readonly Role[] = ['admin', 'dispatcher', 'inspector', 'intake'];
/** Who redraws grid boundaries (网格规划) and reads what the planner's statistics count: planners and administrators. */
export const PLANNERS: readonly Role[] = ['admin', 'planner'];

/** The web app's desks (pages), by path name. */
export const DESKS = ['wall', 'dispatch', 'plan', 'analytics', 'admin'] as const;
export type Desk = (typeof DESKS)[number];

/**
 * The desks each role may use, its own desk first (where it lands after signing in): a planner
 * plans, a wall display shows the wall, the posts of both centres work at the console, an
 * administrator administers. Each desk is one the server lets the role read (a test checks).
 */
export const DESKS_OF_ROLE: Readonly<Record<Role, readonly Desk[]>> = {
  admin: ['admin', 'dispatch', 'wall', 'analytics', 'plan'],
  dispatcher: ['dispatch', 'wall', 'analytics'],
  planner: ['plan', 'wall', 'analytics'],
  wall: ['wall'],
  device: [],
  inspector: ['dispatch', 'wall', 'analytics'],
  intake: ['dispatch', 'wall', 'analytics'],
  'shift-lead': ['dispatch', 'wall', 'analytics'],
  department: ['dispatch'],
};

/**
 * Who sees a caller's name and phone in full (case detail), to call the resident back: the intake
 * operator (受理员, 回访), the dispatcher and the shift lead (值班长, who closes after the call-back).
 * Every other screen, list, stream and export shows them masked; a worker's device gets the full
 * phone only of the cases on its hands (device-cases.ts).
 */
export const CALL_BACK_ROLES: readonly Role[] = ['dispatcher', 'intake', 'shift-lead'];
