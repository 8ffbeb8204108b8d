import { useQuery } from '@tanstack/react-query';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { centreTimeFormat } from '../format/time.ts';

// 边界版本: every published version, newest first, with its state (待生效 / 现行 / 已被取代),
// when it takes effect and what its publish changed; a click opens its change report.

export function VersionList({ onReport, onCompare }: { onReport(version: number): void; onCompare(): void }) {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  // Read again on every boundary event (publish or a scheduled version taking effect: PlanPage).
  const list = useQuery(trpc.boundaries.list.queryOptions());
  const fmt = centreTimeFormat(locale);
  return (
    <section className="plan-list plan-versions" data-testid="plan-versions">
      <h3>
        {t('plan.versions')}
        {(list.data?.length ?? 0) > 1 ? (
          <button
            type="button"
            className="btn ghost plan-versions-compare"
            onClick={onCompare}
            data-testid="plan-compare-open"
          >
            {t('plan.compare.open')}
          </button>
        ) : null}
      </h3>
      {list.data?.length ? (
        <ul>
          {list.data.map((v) => (
            <li key={v.version} className={v.state === 'in-force' ? 'on' : undefined}>
              <button
                type="button"
                disabled={v.planId === null}
                title={v.planId === null ? t('plan.versions.seed') : undefined}
                onClick={() => onReport(v.version)}
                data-testid="plan-version"
                data-state={v.state}
              >
                <span className="name">
                  {t('boundary.version', { n: v.version })} {v.name}
                </span>
                <span className="meta">
                  {t(`boundary.state.${v.state}`)} · {fmt.format(v.effectiveAt)} · {v.grids}
                </span>
                {v.planId === null ? null : (
                  <span className="meta">
                    +{v.added} · ~{v.reshaped} · −{v.retired}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="plan-empty">{t('plan.versions.empty')}</p>
      )}
    </section>
  );
}
