import type { ResultOf, TrpcClient } from '../app/trpc.ts';

/** `dispatch.recommend`: the ranked workers, and the version and assignee they were ranked at. */
export type DispatchView = ResultOf<TrpcClient['dispatch']['recommend']['query']>;
/** One recommended worker of `dispatch.recommend`. */
export type Recommended = ResultOf<TrpcClient['dispatch']['recommend']['query']>['workers'][number];
/** `cases.get`: the case and its timeline. */
export type CaseDetailData = ResultOf<TrpcClient['cases']['get']['query']>;
export type TimelineEntry = CaseDetailData['timeline'][number];
/** One case's outcome of `dispatch.assignBulk`. */
export type BulkResult = ResultOf<TrpcClient['dispatch']['assignBulk']['mutate']>['results'][number];
