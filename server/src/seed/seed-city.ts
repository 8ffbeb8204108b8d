import { count, sql } from 'drizzle-orm';
import {
  caseClock,
  FIRST_BOUNDARY_VERSION,
  LEVEL_OF_TIER,
  nextLevel,
  parseStoredCaseEvent,
  replayCase,
  type CaseId,
  type CaseStatus,
  type CaseTier,
  type ResponsibleLevel,
  type GridId,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import type { City, GeneratedAddressPoints, GeneratedCase } from '@gcc/data';
import type { Db } from '../db/connect.ts';
import {
  addressPoints,
  boundaryVersions,
  cases,
  city as cityTable,
  departments,
  events,
  grids,
  places,
  roads,
  units,
  water,
  workers,
} from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { caseCode } from '../cases/case-row.ts';
import {
  calendarOfCase,
  TABLE_TERMS,
  termsFor,
  type CaseTermsSource,
} from '../deadlines/deadline-directory.ts';
import type { NewEvent } from '../live/event-log.ts';

// Loads a generated city into an empty record: units, boundary version 1, grids, address
// points, staff, roads, water, places and the case history with a full timeline per case (the timeline replays to the
// stored state). Rows go in batches; the whole load is one transaction, so a crash mid-way
// leaves an empty database that the next start seeds again.

const BATCH = 1000;
const SEED_LOCK = 0x6763_6302;

async function insertBatched<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** Address points per statement: each batch travels as one JSON parameter. */
const POINT_BATCH = 20_000;

/**
 * Writes the generated address points, each with the grid id `gridOf` gives it (points for which
 * it gives none are left out). Rows travel as one JSON document per batch, expanded by the
 * database (json_to_recordset): binding seven parameters per row cost PGlite about 0.1 ms a row.
 */
export async function insertAddressPoints(
  db: Pick<Db, 'execute'>,
  points: GeneratedAddressPoints,
  gridOf: (gridIndex: number, lng: number, lat: number) => GridId | null,
): Promise<number> {
  type Row = [GridId, number, number, number, number, string];
  const rows: Row[] = [];
  for (let i = 0; i < points.lng.length; i++) {
    const lng = points.lng[i]!;
    const lat = points.lat[i]!;
    const gridId = gridOf(points.grid[i]!, lng, lat);
    if (gridId === null) continue;
    rows.push([gridId, lng, lat, points.households[i]!, points.residents[i]!, points.labels[i]!]);
  }
  for (let i = 0; i < rows.length; i += POINT_BATCH) {
    const batch = JSON.stringify(
      rows.slice(i, i + POINT_BATCH).map(([g, x, y, h, r, label]) => ({ g, x, y, h, r, label })),
    );
    await db.execute(sql`
      insert into ${addressPoints} (grid_id, lng, lat, households, residents, label)
      select g, x, y, h, r, label
      from json_to_recordset(${batch}::json) as p(g integer, x double precision, y double precision, h integer, r integer, label text)`);
  }
  return rows.length;
}

/**
 * A record seeded before address points existed gets them now, from the generator run of its
 * city (`generate`, called only when the table is empty), each point in the grid of the version in
 * force that contains it. Once, under the seed lock, whichever process comes first.
 */
export async function backfillAddressPoints(
  db: Db,
  generate: () => GeneratedAddressPoints,
  locate: (lng: number, lat: number) => GridId | null,
  log: Logger,
): Promise<void> {
  const [have] = await db.select({ n: count() }).from(addressPoints);
  if ((have?.n ?? 0) > 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const [again] = await tx.select({ n: count() }).from(addressPoints);
    if ((again?.n ?? 0) > 0) return;
    const t0 = performance.now();
    const points = await insertAddressPoints(tx, generate(), (_g, lng, lat) => locate(lng, lat));
    log.info({ points, ms: Math.round(performance.now() - t0) }, 'backfilled address points');
  });
}

/** The level a history case of `tier` is escalated to (上报升级): the next one up. */
const escalatedLevel = (tier: CaseTier): ResponsibleLevel =>
  nextLevel(LEVEL_OF_TIER[tier]) ?? LEVEL_OF_TIER[tier];

/** The history case as its final state and the events that led there. */
function historyTimeline(
  c: GeneratedCase,
  id: CaseId,
  gridId: GridId,
  source: CaseTermsSource,
): {
  status: CaseStatus;
  tier: CaseTier;
  level: ResponsibleLevel;
  deadlineAt: number | null;
  events: NewEvent[];
} {
  const ev: NewEvent[] = [];
  const base = { kind: 'case' as const, caseId: id, gridId };
  const push = (
    at: number | null,
    type: string,
    payload: Record<string, unknown> = {},
    workerId: WorkerId | null = null,
  ) => {
    if (at !== null) ev.push({ ...base, at: Math.round(at), type, payload, workerId });
  };
  // The generator numbers its staff; the record keeps those numbers as worker ids.
  const assignee = c.assigneeId as WorkerId | null;
  const tier: CaseTier = c.onSite ? 'micro' : 'small';
  // 反馈 carries photo evidence; the history's photos are placeholders the web shows as such.
  const photo = (n: number) => [`seed/${id}-${n}.jpg`];
  // Seeded cases carry their terms as live ones do (the directory's, the default table in an empty database).
  push(
    c.reportedAt,
    'case.reported',
    {
      terms: termsFor(source, c.category, gridId),
      source: c.source,
      category: c.category,
      gridId,
      lng: c.lng,
      lat: c.lat,
      description: c.description,
    },
    c.source === 'patrol' ? assignee : null,
  );
  let status: CaseStatus = 'reported';
  if (c.rejectedAt !== null) {
    push(c.rejectedAt, 'case.rejected', { reason: '不属于受理范围' });
    status = 'rejected';
  }
  push(c.registeredAt, 'case.registered', { tier });
  if (c.registeredAt !== null) status = 'registered';
  if (c.voidedAt !== null) {
    // 作废立案: sent back to intake, then not accepted (counts against 准确立案率).
    push(c.voidedAt - 5 * 60_000, 'case.returned', { to: 'intake', reason: '非本辖区事项，退回受理' });
    push(c.voidedAt, 'case.rejected', { reason: '非本辖区事项' });
    status = 'rejected';
  }
  // 上报升级 to the street before dispatch (not resolved inside the grid).
  push(c.escalatedAt, 'case.escalated', {
    from: LEVEL_OF_TIER[tier],
    to: escalatedLevel(tier),
    reason: '需街道协调处置',
    auto: false,
  });
  if (c.dispatchedAt !== null && assignee !== null) {
    push(c.dispatchedAt, 'case.dispatched', { workerId: assignee });
    status = 'dispatched';
  }
  if (c.acceptedAt !== null) {
    push(c.acceptedAt, 'case.accepted', { workerId: assignee }, assignee);
    status = 'accepted';
  }
  if (c.handledAt !== null) {
    // A reworked case was handled twice: once before the failed verification, once after.
    if (c.reworked && c.verifiedAt !== null) {
      const first = c.acceptedAt! + (c.handledAt - c.acceptedAt!) / 3;
      push(first - 60_000, 'case.started', { workerId: assignee }, assignee);
      push(
        first,
        'case.handled',
        { workerId: assignee, onSite: false, note: '已处置', photos: photo(1) },
        assignee,
      );
      push(first + (c.handledAt - first) / 3, 'case.reworked', { note: '核查未通过，需返工' });
      push(first + (c.handledAt - first) / 2, 'case.accepted', { workerId: assignee }, assignee);
    }
    push(c.handledAt - 60_000, 'case.started', { workerId: assignee }, assignee);
    push(
      c.handledAt,
      'case.handled',
      {
        workerId: assignee,
        onSite: c.handledOnSite,
        note: c.handledOnSite ? '现场处置完毕' : '处置完毕',
        photos: photo(2),
      },
      assignee,
    );
    status = 'handled';
  }
  if (c.verifiedAt !== null) {
    push(c.verifiedAt, 'case.verified', { note: '核查通过' });
    status = 'verified';
  }
  if (c.closedAt !== null) {
    push(c.closedAt, 'case.closed');
    status = 'closed';
  }
  if (c.evaluatedAt !== null && c.rating !== null) {
    push(c.evaluatedAt, 'case.evaluated', { rating: c.rating, note: '' });
    status = 'evaluated';
  }
  // 挂账: the clock stops where the case was parked; the status stays.
  if (c.parkedAt !== null) push(c.parkedAt, 'case.parked', { reason: '等待条件具备后处置' });
  ev.sort((a, b) => a.at - b.at);
  // The engine must replay what the generator wrote, and its clock gives the row its deadline as
  // a live case would have it: the current step's, none once closed or rejected.
  const timeline = ev.map((e) => {
    const p = parseStoredCaseEvent(id, {
      at: e.at,
      type: e.type,
      userId: null,
      workerId: e.workerId ?? null,
      payload: e.payload,
    });
    if (!p.success) throw new Error(`seeded case ${id}: ${e.type} does not parse: ${p.error.message}`);
    return p.data;
  });
  const state = replayCase(timeline);
  if (state.status !== status) throw new Error(`seeded case ${id} replays to ${state.status}, not ${status}`);
  const clock = caseClock(
    timeline,
    termsFor(source, c.category, gridId).limits,
    calendarOfCase(source, c.category, gridId, timeline),
  );
  return { status, tier, level: state.level, deadlineAt: clock.deadlineAt, events: ev };
}

/** Writes `city` into an empty database. */
export async function seedCity(
  db: Db,
  cityData: City,
  log: Logger,
  now = Date.now(),
  terms: CaseTermsSource = TABLE_TERMS,
): Promise<void> {
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    // Several processes may start on one empty PostgreSQL database: one seeds, the others wait and skip.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if ((await tx.select({ id: cityTable.id }).from(cityTable)).length > 0) return;
    await tx.insert(cityTable).values({
      name: cityData.name,
      code: cityData.code,
      profile: cityData.profile,
      seed: cityData.seed,
      bbox: cityData.bbox,
      outline: cityData.outline,
      createdAt: now,
    });
    // Units top-down so parents get ids first; the city itself is the root unit.
    const unitId = new Map<string, UnitId>();
    const root = await tx
      .insert(units)
      .values({
        level: 'city',
        code: cityData.code,
        name: cityData.name,
        parentId: null,
        urban: true,
        polygon: cityData.outline,
      })
      .returning({ id: units.id });
    unitId.set(cityData.code, root[0]!.id);
    for (const level of ['district', 'street', 'community'] as const) {
      const rows = cityData.units.filter((u) => u.level === level);
      await insertBatched(rows, async (batch) => {
        const ids = await tx
          .insert(units)
          .values(
            batch.map((u) => ({
              level: u.level,
              code: u.code,
              name: u.name,
              parentId: u.parentCode ? (unitId.get(u.parentCode) ?? null) : null,
              urban: u.urban,
              polygon: u.polygon,
            })),
          )
          .returning({ id: units.id, code: units.code });
        for (const r of ids) unitId.set(r.code, r.id);
      });
    }
    await tx.insert(boundaryVersions).values({
      version: FIRST_BOUNDARY_VERSION,
      publishedAt: now,
      note: '初始网格划分',
      effectiveAt: now,
      activatedAt: now,
    });
    const gridId = new Map<string, GridId>();
    await insertBatched(cityData.grids, async (batch) => {
      const ids = await tx
        .insert(grids)
        .values(
          batch.map((g) => ({
            version: FIRST_BOUNDARY_VERSION,
            code: g.code,
            name: g.name,
            communityId: unitId.get(g.communityCode)!,
            polygon: g.polygon,
            households: g.households,
            population: g.population,
            areaKm2: g.areaKm2,
            urban: g.urban,
          })),
        )
        .returning({ id: grids.id, code: grids.code });
      for (const r of ids) gridId.set(r.code, r.id);
    });
    const pointsT0 = performance.now();
    const points = await insertAddressPoints(tx, cityData.addressPoints, (g) =>
      gridId.get(cityData.grids[g]!.code)!,
    );
    log.info({ points, ms: Math.round(performance.now() - pointsT0) }, 'seeded address points');
    await insertBatched(cityData.staff, (batch) =>
      tx.insert(workers).values(
        batch.map((s) => ({
          // Worker ids are born here: the generator numbers its staff, the record keeps the numbers.
          id: s.id as WorkerId,
          name: s.name,
          role: s.role,
          gridId: gridId.get(s.gridCode)!,
          phone: s.phone,
          duty: 'off' as const,
          homeLng: s.home[0],
          homeLat: s.home[1],
        })),
      ),
    );
    await insertBatched(cityData.roads, (batch) =>
      tx
        .insert(roads)
        .values(batch.map((r) => ({ id: r.id, class: r.class, name: r.name, coords: r.coords }))),
    );
    await insertBatched(cityData.water, (batch) => tx.insert(water).values(batch));
    await tx
      .insert(departments)
      .values(cityData.departments)
      .onConflictDoNothing({ target: departments.code });
    await insertBatched(cityData.places, (batch) =>
      tx.insert(places).values(
        batch.map((p) => ({
          kind: p.kind,
          name: p.name,
          lng: p.lng,
          lat: p.lat,
          gridId: gridId.get(p.gridCode) ?? null,
        })),
      ),
    );

    // History: oldest first so ids and event seqs follow time.
    const history = [...cityData.cases].sort((a, b) => a.reportedAt - b.reportedAt);
    let nextId = 1;
    const caseRows: (typeof cases.$inferInsert)[] = [];
    const eventRows: NewEvent[] = [];
    for (const c of history) {
      // History case ids are born here, in time order (the live sequence continues after them).
      const id = nextId++ as CaseId;
      const gId = gridId.get(c.gridCode)!;
      const t = historyTimeline(c, id, gId, terms);
      const last = t.events[t.events.length - 1]!.at;
      caseRows.push({
        id,
        code: caseCode(c.reportedAt, id),
        source: c.source,
        category: c.category,
        lng: c.lng,
        lat: c.lat,
        gridId: gId,
        status: t.status,
        tier: t.tier,
        // The level its timeline replays to (its tier's, one up once escalated: 上报升级).
        level: t.level,
        description: c.description,
        assigneeId: c.assigneeId as WorkerId | null,
        reworkCount: c.reworked ? 1 : 0,
        onSite: c.handledOnSite,
        reportedAt: c.reportedAt,
        deadlineAt: t.deadlineAt,
        closedAt: c.closedAt,
        updatedAt: last,
        version: t.events.length,
        parkedAt: c.parkedAt,
      });
      eventRows.push(...t.events);
    }
    log.info({ cases: caseRows.length, events: eventRows.length }, 'seeding case history');
    await insertBatched(caseRows, (batch) => tx.insert(cases).values(batch));
    eventRows.sort((a, b) => a.at - b.at);
    let written = 0;
    let told = 0;
    await insertBatched(eventRows, async (batch) => {
      written += batch.length;
      // A line at each quarter: a first start on a large city is not silent.
      if (written / eventRows.length >= told + 0.25) {
        told = Math.floor((written / eventRows.length) * 4) / 4;
        log.info({ events: written, of: eventRows.length }, 'seeding case history');
      }
      return tx.insert(events).values(
        batch.map((e) => ({
          at: e.at,
          kind: e.kind,
          type: e.type,
          caseId: e.caseId ?? null,
          gridId: e.gridId ?? null,
          userId: null,
          workerId: e.workerId ?? null,
          payload: e.payload,
        })),
      );
    });
    // Explicit ids above: move the serial past them.
    await tx.execute(sql`select setval(pg_get_serial_sequence('cases', 'id'), greatest(${nextId - 1}, 1))`);
    log.info({ cases: caseRows.length, events: eventRows.length }, 'seeded case history');
  });
  log.info(
    {
      profile: cityData.profile,
      grids: cityData.grids.length,
      workers: cityData.staff.length,
      ms: Math.round(performance.now() - t0),
    },
    'seeded city',
  );
}
