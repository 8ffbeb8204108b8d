// Branded ids: a worker id can never be passed where a grid id belongs. Ids are the database's
// integer keys (dense, so a worker id also fits the u32 slot of a binary position frame).

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UnitId = Brand<number, 'UnitId'>;
export type GridId = Brand<number, 'GridId'>;
export type WorkerId = Brand<number, 'WorkerId'>;
export type CaseId = Brand<number, 'CaseId'>;
export type UserId = Brand<number, 'UserId'>;
export type AlertId = Brand<number, 'AlertId'>;
/** A photo uploaded as evidence (反馈, 微事自办). */
export type PhotoId = Brand<number, 'PhotoId'>;
/** A kiosk, device or gateway credential (access_tokens row). */
export type AccessTokenId = Brand<number, 'AccessTokenId'>;
/** A boundary plan (网格调整方案): a planner's draft of grid edits. */
export type PlanId = Brand<number, 'PlanId'>;
/** Monotonic sequence of the reliable event stream. */
export type EventSeq = Brand<number, 'EventSeq'>;
/** Boundary version: increases by one each time a boundary plan is published. */
export type BoundaryVersion = Brand<number, 'BoundaryVersion'>;

/** The boundary version a city starts with (its seeded grids). */
export const FIRST_BOUNDARY_VERSION = 1 as BoundaryVersion;
