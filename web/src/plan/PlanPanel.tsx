import { useLocale, useT } from '../app/i18n.tsx';
import { centreTimeFormat } from '../format/time.ts';
import type { HouseholdBands } from './band.ts';
import { BandsEditor } from './BandsEditor.tsx';
import { VersionList } from './VersionList.tsx';
import type { HistoryState } from './plan.protocol.ts';
import type { PlansApi, PlanSummary } from './use-plans.ts';

function PlanItem({
  plan,
  current,
  onOpen,
}: {
  plan: PlanSummary;
  current: boolean;
  onOpen(id: number): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <li className={current ? 'on' : undefined}>
      <button type="button" onClick={() => onOpen(plan.id)} data-testid="plan-item">
        <span className="name">{plan.name}</span>
        <span className="meta">
          {plan.author} · {centreTimeFormat(locale).format(plan.updatedAt)}
        </span>
        <span className="meta">
          {t('plan.touches', { n: plan.grids.length })} · {t('plan.problemsCount', { n: plan.problems })}
          {plan.editable ? null : <em> · {t('plan.readOnly')}</em>}
        </span>
      </button>
    </li>
  );
}

function PlanGroup({
  title,
  plans,
  currentId,
  onOpen,
}: {
  title: string;
  plans: PlanSummary[];
  currentId: number | null;
  onOpen(id: number): void;
}) {
  const t = useT();
  return (
    <>
      <h3>{title}</h3>
      {plans.length ? (
        <ul>
          {plans.map((p) => (
            <PlanItem key={p.id} plan={p} current={p.id === currentId} onOpen={onOpen} />
          ))}
        </ul>
      ) : (
        <p className="plan-empty">{t('plan.noPlans')}</p>
      )}
    </>
  );
}

/** The plan being edited (name, new / save / discard) and the list of plans, mine and others'. */
export function PlanPanel({
  name,
  onName,
  history,
  plans,
  currentId,
  readOnly,
  bands,
  onBands,
  dirty,
  onNew,
  onSave,
  onDiscard,
  onOpen,
  onPublish,
  onReport,
  onCompare,
  onImport,
}: {
  name: string;
  onName(name: string): void;
  history: HistoryState;
  bands: HouseholdBands | null;
  onBands(bands: HouseholdBands | null): void;
  /** Something to save besides the edits (the bands changed). */
  dirty: boolean;
  /** Saves, then offers to publish the plan as the next boundary version. */
  onPublish(): void;
  /** Opens a version's change report. */
  onReport(version: number): void;
  /** Opens the comparison of two boundary versions. */
  onCompare(): void;
  /** Opens the boundary file import. */
  onImport(): void;
  plans: PlansApi;
  currentId: number | null;
  readOnly: boolean;
  onNew(): void;
  onSave(): void;
  onDiscard(): void;
  onOpen(id: number): void;
}) {
  const t = useT();
  const mine = plans.list.filter((p) => p.mine);
  const others = plans.list.filter((p) => !p.mine);
  return (
    <aside className="plan-left" data-testid="plan-panel">
      <section className="plan-current">
        <h2>{t('plan.plans')}</h2>
        <label className="plan-name">
          <span>{t('plan.name')}</span>
          <input
            value={name}
            placeholder={t('plan.namePlaceholder')}
            onChange={(e) => onName(e.target.value)}
            readOnly={readOnly}
            data-testid="plan-name"
          />
        </label>
        <p className="plan-steps" data-testid="plan-steps">
          {history.cursor ? t('plan.steps', { n: history.cursor }) : t('plan.noEdits')}
          {readOnly ? <em> · {t('plan.readOnly')}</em> : null}
        </p>
        <div className="plan-actions">
          <button type="button" className="btn ghost" onClick={onNew} data-testid="plan-new">
            {t('plan.new')}
          </button>
          <button
            type="button"
            className="btn primary"
            onClick={onSave}
            disabled={!plans.available || plans.busy || readOnly || (history.length === 0 && !dirty)}
            data-testid="plan-save"
          >
            {t('plan.save')} <kbd>Ctrl+S</kbd>
          </button>
          <button
            type="button"
            className="btn danger"
            onClick={onDiscard}
            disabled={readOnly || (currentId === null && history.length === 0)}
            data-testid="plan-discard"
          >
            {t('plan.discard')}
          </button>
          <button
            type="button"
            className="btn warn"
            onClick={onPublish}
            disabled={
              !plans.available || plans.busy || readOnly || (currentId === null && history.length === 0)
            }
            data-testid="plan-publish"
          >
            {t('plan.publish.button')}
          </button>
          <button
            type="button"
            className="btn ghost"
            onClick={onImport}
            disabled={!plans.available}
            data-testid="plan-import-open-dialog"
          >
            {t('plan.import.open.button')}
          </button>
        </div>
        <BandsEditor bands={bands} readOnly={readOnly} onBands={onBands} />
        {plans.available ? null : (
          <p className="plan-note" data-testid="plan-service-missing">
            {t('plan.serviceMissing')}
          </p>
        )}
      </section>
      <section className="plan-list">
        <PlanGroup title={t('plan.mine')} plans={mine} currentId={currentId} onOpen={onOpen} />
        <PlanGroup title={t('plan.others')} plans={others} currentId={currentId} onOpen={onOpen} />
      </section>
      <VersionList onReport={onReport} onCompare={onCompare} />
    </aside>
  );
}
