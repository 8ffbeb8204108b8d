import { eq, inArray, or } from 'drizzle-orm';
import type { BoundaryVersion, GridId, UnitId } from '@gcc/shared';
import {
  HOUSEHOLD_BANDS,
  type BoundaryChangeReport,
  type HouseholdBands,
  type ReportGrid,
  type ReportWarning,
} from '@gcc/shared/planning';
import { grids, units, unitShapes } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { MoveTally, RekeyResult } from './re-key.ts';
import type { Activation } from './activate.ts';

// The change report (变更清单) of a version: its grid rows against the rows it retired, paired by
// code (same code: reshaped; only old: retired; only new: added), and the re-key's tallies of
// what moved from where to where. The figures of a grid are those of the rows that moved: every
// row of a retired shape moves, so they are its whole content, before and after.

export type ReportMeta = Activation & { final: boolean; bands: HouseholdBands | null };

const ROW = {
  id: grids.id,
  code: grids.code,
  name: grids.name,
  communityId: grids.communityId,
  areaKm2: grids.areaKm2,
  urban: grids.urban,
  version: grids.version,
  retiredIn: grids.retiredIn,
};

interface Row {
  id: GridId;
  code: string;
  name: string;
  communityId: UnitId;
  areaKm2: number;
  urban: boolean;
  version: BoundaryVersion;
  retiredIn: BoundaryVersion | null;
}

/** What each new row of the version holds after the re-key (for its households and population columns). */
export interface NewRowTotals {
  id: GridId;
  households: number;
  residents: number;
}

export async function buildChangeReport(
  tx: Tx,
  meta: ReportMeta,
  rekey: RekeyResult,
): Promise<{ report: BoundaryChangeReport; totals: NewRowTotals[] }> {
  const rows: Row[] = await tx
    .select(ROW)
    .from(grids)
    .where(or(eq(grids.version, meta.version), eq(grids.retiredIn, meta.version)));
  const newRows = rows.filter((r) => r.version === meta.version);
  const oldRows = rows.filter((r) => r.retiredIn === meta.version);
  // Rows of older versions a straggler sweep moved rows out of are named too.
  const known = new Set(rows.map((r) => r.id));
  const missing = [...new Set(rekey.moves.map((m) => m.from))].filter((id) => !known.has(id));
  if (missing.length) rows.push(...(await tx.select(ROW).from(grids).where(inArray(grids.id, missing))));
  const byId = new Map(rows.map((r) => [r.id, r]));

  const sum = (moves: readonly MoveTally[]) =>
    moves.reduce(
      (s, m) => ({
        households: s.households + m.households,
        residents: s.residents + m.residents,
        addressPoints: s.addressPoints + m.addressPoints,
        openCases: s.openCases + m.openCases,
        staff: s.staff + m.staff,
      }),
      { households: 0, residents: 0, addressPoints: 0, openCases: 0, staff: 0 },
    );
  const movesBy = { from: new Map<GridId, MoveTally[]>(), to: new Map<GridId, MoveTally[]>() };
  for (const m of rekey.moves)
    for (const side of ['from', 'to'] as const) {
      const list = movesBy[side].get(m[side]);
      if (list) list.push(m);
      else movesBy[side].set(m[side], [m]);
    }
  const grid = (r: Row, side: 'from' | 'to'): ReportGrid => ({
    id: r.id,
    code: r.code,
    name: r.name,
    communityId: r.communityId,
    areaKm2: r.areaKm2,
    ...sum(movesBy[side].get(r.id) ?? []),
  });

  const oldByCode = new Map(oldRows.map((r) => [r.code, r]));
  const newCodes = new Set(newRows.map((r) => r.code));
  const added = newRows.filter((r) => !oldByCode.has(r.code)).map((r) => grid(r, 'to'));
  const reshaped = newRows
    .filter((r) => oldByCode.has(r.code))
    .map((r) => {
      const before = grid(oldByCode.get(r.code)!, 'from');
      const after = grid(r, 'to');
      return { before, after, nodesOnly: Math.abs(before.areaKm2 - after.areaKm2) < 1.5e-4 };
    });
  const retired = oldRows.filter((r) => !newCodes.has(r.code)).map((r) => grid(r, 'from'));

  const { bands: planBands, ...head } = meta;
  const bands = planBands ?? HOUSEHOLD_BANDS;
  const warnings: ReportWarning[] = [];
  for (const r of newRows) {
    const g = grid(r, 'to');
    const band = r.urban ? bands.urban : bands.rural;
    const base = { gridId: r.id, code: r.code, households: g.households, band };
    if (g.households > band[1]) warnings.push({ reason: 'households-over', ...base });
    else if (g.households < band[0]) warnings.push({ reason: 'households-under', ...base });
    if (g.staff === 0) warnings.push({ reason: 'no-staff', ...base });
  }

  const movedUnits = await tx
    .select({ id: units.id, code: units.code, name: units.name, level: units.level })
    .from(unitShapes)
    .innerJoin(units, eq(units.id, unitShapes.unitId))
    .where(eq(unitShapes.version, meta.version))
    .orderBy(units.code);

  const ref = (id: GridId) => {
    const r = byId.get(id);
    return { id, code: r?.code ?? '', name: r?.name ?? '' };
  };
  const byCode = (a: { code: string }, b: { code: string }) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  return {
    report: {
      ...head,
      added: added.sort(byCode),
      reshaped: reshaped.sort((a, b) => byCode(a.after, b.after)),
      retired: retired.sort(byCode),
      moves: rekey.moves
        .map((m) => ({ ...m, from: ref(m.from), to: ref(m.to) }))
        .sort((a, b) => byCode(a.from, b.from) || byCode(a.to, b.to)),
      rekeyed: rekey.rekeyed,
      warnings,
      units: movedUnits,
    },
    totals: newRows.map((r) => {
      const s = sum(movesBy.to.get(r.id) ?? []);
      return { id: r.id, households: s.households, residents: s.residents };
    }),
  };
}
