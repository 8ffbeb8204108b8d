import type { CaseTier } from '@gcc/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Splash, useMe } from '../app/auth.tsx';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { useT } from '../app/i18n.tsx';
import { useCategoryOf } from '../directory/categories.ts';
import { useDepartments } from '../directory/departments.ts';
import { baseMapStyleUrl } from '../map/base-map.ts';
import { useVersionParam } from '../map/use-grid-layer.ts';
import { VersionPicker } from '../map/VersionPicker.tsx';
import { AwayWorkers } from './AwayWorkers.tsx';
import { BulkAssign } from './BulkAssign.tsx';
import { CaseActions } from './CaseActions.tsx';
import { CaseDetail, CaseHeader } from './CaseDetail.tsx';
import { CaseQueue } from './CaseQueue.tsx';
import { useDeskPosts } from './desk-posts.ts';
import { DispatchMap } from './DispatchMap.tsx';
import { Duplicates } from './Duplicates.tsx';
import { IntakeForm } from './IntakeForm.tsx';
import { Recommendations } from './Recommendations.tsx';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { Toasts, useToasts } from './Toasts.tsx';
import { useCaseCommands } from './use-case-commands.ts';
import { useCaseQueue } from './use-case-queue.ts';
import { useDeskKeys } from './use-desk-keys.ts';
import { useDeskMap } from './use-desk-map.ts';
import { useIntake } from './use-intake.ts';
import { useNotices } from './use-notices.ts';
import { useOpenCase } from './use-open-case.ts';
import { useNow } from './use-now.ts';
import { useSelection } from './use-selection.ts';
import '../app/desk.css';
import './dispatch.css';

const CONN_KEY = { live: 'conn.online', connecting: 'conn.connecting', offline: 'conn.offline' } as const;

/**
 * The dispatcher's desk: a queue of cases needing action (overdue first), the open case with its
 * timeline, the five recommended workers on the map with routes and reasons, and one action to
 * assign; escalate, whistle, merge, park and verify as the rules allow. Overdue and escalated
 * cases arrive live with a tone and a toast.
 */
export default function DispatchPage() {
  const t = useT();
  const me = useMe();
  const categoryOf = useCategoryOf();
  const departments = useDepartments();
  const posts = useDeskPosts(me.data?.role);
  // A department desk's own department (auth.me carries its id).
  const ownDepartment = departments.codeOf(me.data?.departmentId ?? null);
  const { live, department, mapped, commands, canReport } = posts;
  const [surge, setSurge] = useState(false);
  const [help, setHelp] = useState(false);
  const now = useNow();

  const [version, setVersion] = useVersionParam();
  const map = useDeskMap(posts, version);
  const queue = useCaseQueue(live);
  const { items } = queue;
  const { selectedId, select, picked, setPicked, openAction, setOpenAction } = useSelection(
    items,
    queue.settled,
  );
  const open = useOpenCase({ selectedId, items, surge, live, rosterNames: map.rosterNames });
  const { current, workers } = open;
  const { toasts, toast } = useToasts();
  const notices = useNotices({ live, items, selectedId, toast });
  const closeAction = useCallback(() => setOpenAction(null), [setOpenAction]);
  const intake = useIntake({ gridIndex: map.gridIndex, gridName: map.gridName, onOpen: closeAction });
  const act = useCaseCommands({
    selectedId,
    allowed: open.allowed,
    view: open.view,
    surge,
    items,
    ticked: queue.ticked,
    departmentCode: ownDepartment,
    toast,
    select,
    closeAction,
    tickOnly: queue.tickOnly,
    intake,
  });

  useDeskKeys({
    items,
    selectedId,
    workers: workers?.length ?? 0,
    assigned: !!open.view?.assignee,
    picked,
    allowed: open.allowed?.commands ?? [],
    commands,
    canReport,
    select,
    pick: setPicked,
    assign: act.assign,
    toggleSurge: () => setSurge((x) => !x),
    toggleHelp: () => setHelp((x) => !x),
    openIntake: intake.toggle,
    openAction: setOpenAction,
    closeHelp: () => setHelp(false),
  });

  useEffect(() => {
    document.body.classList.add('dispatch-body');
    return () => document.body.classList.remove('dispatch-body');
  }, []);

  const city = map.city;
  // Street names on the map, for bearings (one array per city: the label atlas is built once).
  const places = useMemo(
    () =>
      (city?.units ?? []).flatMap((u) =>
        u.level === 'street' && u.center ? [{ name: u.name, lng: u.center[0], lat: u.center[1] }] : [],
      ),
    [city],
  );
  if (mapped && !city) return <Splash text={t('dispatch.loading')} />;
  const units = (city?.units ?? []).filter((u) => u.level === 'district' || u.level === 'street');

  const defaultTier: CaseTier = (current && categoryOf(current.category)?.tier) || 'small';

  return (
    <div className="dispatch desk" data-testid="dispatch">
      <DeskHeader
        title={
          department
            ? t('dispatch.titleDepartment', {
                name: departments.name(ownDepartment ?? ''),
              })
            : t('dispatch.title')
        }
        sub={city ? <span className="dh-city">{city.name}</span> : null}
      >
        {live ? (
          <div className={`conn conn-${notices.conn}`} data-testid="conn-events" data-state={notices.conn}>
            <span className="conn-dot" aria-hidden="true" />
            <span className="conn-label">{t('wall.streamEvents')}</span>
            <span className="conn-state">{t(CONN_KEY[notices.conn])}</span>
          </div>
        ) : null}
        {canReport ? (
          <button
            type="button"
            className={`btn ${intake.open ? 'primary' : 'ghost'}`}
            data-testid="intake-open"
            onClick={() => intake.toggle(!intake.open)}
          >
            {t('intake.open')} <kbd>N</kbd>
          </button>
        ) : null}
        <button type="button" className="btn ghost" onClick={notices.toggleSound} data-testid="sound">
          {t(notices.sound ? 'dispatch.soundOn' : 'dispatch.soundOff')}
        </button>
        <button type="button" className="btn ghost" onClick={() => setHelp((x) => !x)}>
          {t('dispatch.shortcuts')} <kbd>?</kbd>
        </button>
      </DeskHeader>
      {help ? (
        <ShortcutHelp commands={commands} canReport={canReport} onClose={() => setHelp(false)} />
      ) : null}
      <main className="db">
        <CaseQueue
          filter={queue.filter}
          onFilter={(f) => {
            queue.setFilter(f);
            select(null);
            queue.tickOnly();
          }}
          units={units}
          items={items}
          counts={queue.counts}
          waiting={queue.filter.status === 'mine' ? queue.waiting : null}
          selectedId={selectedId}
          onSelect={select}
          gridName={map.gridName}
          checked={queue.checked}
          onCheck={posts.canBulk ? queue.check : undefined}
          bulk={
            <BulkAssign
              count={queue.ticked.length}
              busy={act.busy}
              surge={surge}
              results={act.bulkResults}
              caseOf={act.bulkCaseOf}
              workerName={open.workerName}
              onAssign={() => void act.assignTicked()}
              onClear={() => queue.tickOnly()}
              onCloseResults={act.closeBulkResults}
              onSelect={select}
            />
          }
        />
        <section className="dm">
          {city ? (
            <DispatchMap
              styleUrl={baseMapStyleUrl(city)}
              bbox={city.bbox}
              grids={map.shownGrids}
              queue={items ?? []}
              selected={current}
              workers={workers ?? []}
              picked={picked}
              categoryOf={categoryOf}
              onPickCase={select}
              onPickWorker={setPicked}
              onDropOnWorker={act.dropOnWorker}
              places={places}
              placing={
                intake.open
                  ? {
                      point: intake.placed ? [intake.placed.lng, intake.placed.lat] : null,
                      pan: intake.pan,
                      onPlace: intake.place,
                    }
                  : null
              }
            />
          ) : null}
          {city ? <VersionPicker value={version} onChange={setVersion} className="dm-version" /> : null}
          <MapLegend dispatches={commands.has('dispatch')} />
          <AwayWorkers onOpenCase={select} />
        </section>
        <section className="dp" data-testid="case-panel">
          {intake.open ? (
            <IntakeForm
              point={intake.placed}
              nearest={intake.nearest}
              duplicates={intake.duplicates}
              sameTicket={intake.sameTicket}
              onChooseAddress={intake.placeAt}
              gridName={map.gridName}
              busy={act.busy}
              refusal={intake.refusal}
              onDraft={intake.setDraft}
              onSubmit={(i) => void act.submitReport(i)}
              onCancel={() => intake.toggle(false)}
              onOpenCase={(id) => {
                intake.toggle(false);
                select(id);
              }}
            />
          ) : current ? (
            <>
              <CaseHeader c={current} now={now} />
              <CaseActions
                desk={commands}
                allowed={open.commands}
                open={openAction}
                busy={act.busy}
                defaultTier={defaultTier}
                departments={departments.options}
                onOpen={setOpenAction}
                onSubmit={(i) => void act.submitAction(i)}
              />
              {act.refusal ? (
                <div
                  className="refusal"
                  role="alert"
                  data-testid="refusal"
                  data-reason={act.refusal.reason ?? ''}
                >
                  {act.refusal.text}
                </div>
              ) : null}
              {open.duplicates ? (
                <Duplicates
                  items={open.duplicates}
                  gridName={map.gridName}
                  busy={act.busy}
                  onOpen={select}
                  // The later report merges into the earlier one; the earlier case only lists its duplicates.
                  onMerge={open.commands?.includes('merge') ? (p) => void act.mergeInto(p) : undefined}
                  mergeable={(p) =>
                    p.reportedAt < current.reportedAt ||
                    (p.reportedAt === current.reportedAt && p.id < current.id)
                  }
                />
              ) : null}
              {commands.has('dispatch') ? (
                <Recommendations
                  workers={workers}
                  assignee={open.view?.assignee ?? null}
                  enabled={open.canDispatch}
                  picked={picked}
                  surge={surge}
                  busy={act.busy}
                  onSurge={setSurge}
                  onPick={setPicked}
                  onAssign={(i) => void act.assign(current.id, i)}
                  onReassign={(i) => void act.assign(current.id, i, true)}
                  onDropCase={act.dropOnWorker}
                />
              ) : null}
              <CaseDetail
                c={current}
                timeline={open.timeline}
                contact={open.contact}
                gridName={map.gridName}
                workerName={open.workerName}
                departmentName={departments.name}
                now={now}
              />
            </>
          ) : (
            <p className="dp-empty">{t('dispatch.selectCase')}</p>
          )}
        </section>
      </main>
      <Toasts toasts={toasts} onOpen={select} />
    </div>
  );
}

/** What the map's marks mean; workers and routes only at a desk that dispatches. */
function MapLegend({ dispatches }: { dispatches: boolean }) {
  const t = useT();
  return (
    <div className="dm-legend">
      <span>
        <i className="lg-case" />
        {t('dispatch.map.case')}
      </span>
      {dispatches ? (
        <span>
          <i className="lg-worker" />
          {t('dispatch.map.worker')}
        </span>
      ) : null}
      {dispatches ? (
        <span>
          <i className="lg-route" />
          {t('dispatch.map.route')}
        </span>
      ) : null}
      <span>
        <i className="lg-queue" />
        {t('dispatch.map.queue')}
      </span>
    </div>
  );
}
