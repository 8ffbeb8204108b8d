import type { TrpcClient } from '../app/trpc.ts';

type Out<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
/** One recommended worker of `dispatch.recommend`. */
export type Recommended = Out<TrpcClient['dispatch']['recommend']['query']>['workers'][number];
/** `cases.get`: the case and its timeline. */
export type CaseDetailData = Out<TrpcClient['cases']['get']['query']>;
export type TimelineEntry = CaseDetailData['timeline'][number];
/** One case's outcome of `dispatch.assignBulk`. */
export type BulkResult = Out<TrpcClient['dispatch']['assignBulk']['mutate']>['results'][number];
