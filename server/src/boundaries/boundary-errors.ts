import { translate } from '@gcc/shared/messages';
import { TRPCError } from '@trpc/server';
import { PublishError } from './publish.ts';

// A refused publish as a TRPCError: a bilingual sentence (Chinese first) with what it is about,
// and the reason code (`data.reason`). A lost race, a plan published already or one made on a
// version changed since are conflicts (read again); the rest are requests that cannot be met.

export function publishError(e: unknown): unknown {
  if (!(e instanceof PublishError)) return e;
  const key = `boundary.refusal.${e.reason}` as const;
  const about = e.detail ? `（${e.detail}）` : '';
  const code =
    e.reason === 'publish-conflict' || e.reason === 'already-published' || e.reason === 'stale-version'
      ? 'CONFLICT'
      : 'BAD_REQUEST';
  return new TRPCError({
    code,
    message: `${translate(key, 'zh-CN')}${about} / ${translate(key, 'en')}${e.detail ? ` (${e.detail})` : ''} (${e.reason})`,
    cause: e,
  });
}
