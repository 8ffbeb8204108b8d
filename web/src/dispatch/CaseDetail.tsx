import type { Case, CaseCaller, GridId } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useCategoryOf } from '../directory/categories.ts';
import { useLocale, useT } from '../app/i18n.tsx';
import { useCategoryName } from '../directory/category-name.ts';
import { formatDuration } from '../format/duration.ts';
import { centreTimeFormat } from '../format/time.ts';
import type { TimelineEntry } from './types.ts';

const timeFmt = centreTimeFormat;

interface Props {
  c: Case;
  timeline: readonly TimelineEntry[];
  /** The caller in full for the posts that call back; otherwise null and the masked `c.caller` shows. */
  contact: CaseCaller | null;
  gridName(id: GridId): string;
  workerName(id: number): string;
  departmentName(code: string): string;
  now: number;
}

/** The open case: its fields, photos and timeline in the domain's words. */
export function CaseHeader({ c, now }: { c: Case; now: number }) {
  const t = useT();
  const category = useCategoryName();
  const urgency = useCategoryOf()(c.category)?.urgency ?? 'blue';
  const left = c.deadlineAt === null ? null : c.deadlineAt - now;
  return (
    <header className="dd-head" data-testid="case-header" data-case-id={c.id} data-status={c.status}>
      <div className="dd-title">
        <span className={`dd-urg u-${urgency}`}>{t(`wall.urgency.${urgency}`)}</span>
        <h2>{category(c.category)}</h2>
        <span className={`dq-status st-${c.status}`} data-testid="case-status">
          {t(`status.${c.status}`)}
        </span>
      </div>
      <div className={`dd-due ${left !== null && left < 0 ? 'late' : ''}`}>
        {left === null
          ? t('dispatch.noDeadline')
          : left < 0
            ? t('dispatch.overdueBy', { t: formatDuration(left, t) })
            : t('dispatch.dueIn', { t: formatDuration(left, t) })}
        {c.parkedAt !== null ? <span className="dd-parked">{t('dispatch.parked')}</span> : null}
      </div>
    </header>
  );
}

export function CaseDetail({ c, timeline, contact, gridName, workerName, departmentName, now }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const fmt = timeFmt(locale);
  const photos = timeline.flatMap((e) =>
    Array.isArray(e.payload.photos) ? (e.payload.photos as string[]) : [],
  );
  // The server names who did each step; ids only for someone it no longer knows.
  const who = (e: TimelineEntry) =>
    e.actorName ??
    (e.workerId !== null
      ? workerName(e.workerId)
      : e.userId !== null
        ? t('timeline.user', { id: e.userId })
        : t('timeline.system'));
  void now;
  // In full where the job calls back (a tel: link), masked on every other desk.
  const caller = contact ?? c.caller;
  return (
    <div className="dd">
      <dl className="dd-fields">
        <dt>{t('dispatch.field.code')}</dt>
        <dd data-testid="case-code">{c.code}</dd>
        <dt>{t('dispatch.field.source')}</dt>
        <dd>{t(`source.${c.source}`)}</dd>
        {caller?.ticket ? (
          <>
            <dt>{t('case.ticket')}</dt>
            <dd data-testid="case-ticket">{caller.ticket}</dd>
          </>
        ) : null}
        {caller && (caller.name || caller.phone) ? (
          <>
            <dt>{t('case.contact')}</dt>
            <dd data-testid="case-contact" data-full={contact ? 'true' : 'false'}>
              {caller.name ?? '—'}
              {caller.phone ? (
                contact ? (
                  <a className="dd-phone" href={`tel:${caller.phone}`}>
                    {caller.phone}
                  </a>
                ) : (
                  <span className="dd-phone">{caller.phone}</span>
                )
              ) : null}
            </dd>
          </>
        ) : null}
        {c.address ? (
          <>
            <dt>{t('case.address')}</dt>
            <dd data-testid="case-address">{c.address}</dd>
          </>
        ) : null}
        <dt>{t('dispatch.field.grid')}</dt>
        <dd>{gridName(c.gridId)}</dd>
        <dt>{t('dispatch.field.level')}</dt>
        <dd>{t(`level.${c.level}`)}</dd>
        <dt>{t('dispatch.field.tier')}</dt>
        <dd>{c.tier ? t(`tier.${c.tier}`) : '—'}</dd>
        <dt>{t('dispatch.field.assignee')}</dt>
        <dd data-testid="case-assignee">
          {c.assigneeId !== null
            ? workerName(c.assigneeId)
            : c.assigneeDepartment !== null
              ? departmentName(c.assigneeDepartment)
              : '—'}
        </dd>
        <dt>{t('dispatch.field.reported')}</dt>
        <dd>{fmt.format(new Date(c.reportedAt))}</dd>
        <dt>{t('dispatch.field.deadline')}</dt>
        <dd>{c.deadlineAt !== null ? fmt.format(new Date(c.deadlineAt)) : '—'}</dd>
      </dl>
      {c.description ? <p className="dd-desc">{c.description}</p> : null}
      <h3 className="dp-sub">{t('dispatch.photos')}</h3>
      {photos.length ? (
        <div className="dd-photos">
          {photos.map((p) =>
            /^(https?:|\/|data:image\/)/.test(p) ? (
              <img key={p} src={p} alt="" loading="lazy" />
            ) : (
              <span key={p} className="dd-photo-ref">
                {p}
              </span>
            ),
          )}
        </div>
      ) : (
        <p className="dp-empty">{t('dispatch.noPhotos')}</p>
      )}
      <h3 className="dp-sub">{t('dispatch.timeline')}</h3>
      <ol className="dd-timeline" data-testid="timeline">
        {timeline.map((e) => {
          const step = e.type.replace(/^case\./, '');
          const reassigned = step === 'dispatched' && isAssignee(e.payload.replaced);
          const label =
            step === 'escalated' && e.payload.auto === true
              ? t('timeline.escalatedAuto')
              : reassigned
                ? t('timeline.reassigned')
                : (t(`timeline.${step}` as MessageKey) ?? step);
          const extra = timelineExtra(e, t, workerName, departmentName);
          return (
            <li key={e.seq} className={`tl-${step} ${reassigned ? 'tl-reassigned' : ''}`}>
              <time>{fmt.format(new Date(e.at))}</time>
              <span className="tl-label">{label}</span>
              <span className="tl-who">{who(e)}</span>
              {extra ? <span className="tl-extra">{extra}</span> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** A stored assignee (worker or department) in an event's payload. */
function isAssignee(v: unknown): v is { workerId: unknown; department: unknown } {
  return typeof v === 'object' && v !== null && ('workerId' in v || 'department' in v);
}

function timelineExtra(
  e: TimelineEntry,
  t: ReturnType<typeof useT>,
  workerName: (id: number) => string,
  departmentName: (code: string) => string,
): string | null {
  const p = e.payload;
  const parts: string[] = [];
  const named = (a: { workerId: unknown; department: unknown }) =>
    typeof a.workerId === 'number'
      ? workerName(a.workerId)
      : typeof a.department === 'string'
        ? departmentName(a.department)
        : '—';
  // 改派 names whom it replaced: 王生平 → 李四.
  if (e.type === 'case.dispatched')
    parts.push(
      `${isAssignee(p.replaced) ? `${named(p.replaced)} ` : ''}→ ${named(p as { workerId: unknown; department: unknown })}`,
    );
  if (e.type === 'case.registered' && typeof p.tier === 'string')
    parts.push(t(`tier.${p.tier}` as MessageKey));
  if (e.type === 'case.escalated' && typeof p.from === 'string' && typeof p.to === 'string')
    parts.push(`${t(`level.${p.from}` as MessageKey)} → ${t(`level.${p.to}` as MessageKey)}`);
  if (e.type === 'case.whistled' && Array.isArray(p.departments))
    parts.push((p.departments as string[]).map((d) => departmentName(d)).join('、'));
  if (e.type === 'case.departmentReported' && typeof p.department === 'string')
    parts.push(departmentName(p.department));
  // 上报 names the place as intake chose it.
  if ((e.type === 'case.reported' || e.type === 'case.selfHandled') && typeof p.address === 'string')
    parts.push(p.address);
  if (e.type === 'case.merged' && typeof p.primaryId === 'number') parts.push(`#${p.primaryId}`);
  if (e.type === 'case.duplicateAttached' && typeof p.duplicateId === 'number')
    parts.push(`#${p.duplicateId}`);
  if (e.type === 'case.evaluated' && typeof p.rating === 'string')
    parts.push(t(`evaluation.${p.rating}` as MessageKey));
  for (const k of ['reason', 'note', 'description'] as const)
    if (typeof p[k] === 'string' && p[k]) parts.push(p[k]);
  return parts.length ? parts.join(' · ') : null;
}
