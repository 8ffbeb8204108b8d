import * as turf from '@turf/turf';
import { CATEGORIES } from '@gcc/shared';
import { describe, expect, it } from 'vitest';
import type { City, GeneratedCase } from '../city.ts';
import { DEFAULT_NOW, PROFILES, generateCity } from '../index.ts';
import { addWorkingHours, localDay, localHour, localMidnight, localWeekday } from '@gcc/shared';

const DAY = 86_400_000;
const STEPS = [
  'reportedAt',
  'registeredAt',
  'dispatchedAt',
  'acceptedAt',
  'handledAt',
  'verifiedAt',
  'closedAt',
] as const;
const share = (cases: readonly GeneratedCase[], f: (c: GeneratedCase) => boolean): number =>
  cases.filter(f).length / cases.length;

/** Grids sharing a vertex with each grid. */
function neighbourCodes(city: City): Map<string, Set<string>> {
  const byVertex = new Map<string, string[]>();
  for (const g of city.grids)
    for (const poly of g.polygon)
      for (const p of poly[0]!) {
        const k = `${p[0]},${p[1]}`;
        byVertex.set(k, [...(byVertex.get(k) ?? []), g.code]);
      }
  const out = new Map<string, Set<string>>();
  for (const list of byVertex.values())
    for (const a of list) for (const b of list) out.set(a, (out.get(a) ?? new Set()).add(b));
  return out;
}

describe('case history', () => {
  const city = generateCity({ profile: 'tiny', historyDays: 90 });
  const { cases } = city;

  it('has a realistic volume, source mix and rejection rate', () => {
    const perDay = cases.length / 90;
    expect(perDay / (PROFILES.tiny.casesPerGridPerDay * city.grids.length)).toBeGreaterThan(0.75);
    expect(perDay / (PROFILES.tiny.casesPerGridPerDay * city.grids.length)).toBeLessThan(1.1);
    expect(share(cases, (c) => c.source === 'patrol')).toBeCloseTo(0.78, 1);
    expect(share(cases, (c) => c.source === 'hotline')).toBeCloseTo(0.12, 1);
    expect(share(cases, (c) => c.source === 'resident')).toBeCloseTo(0.07, 1);
    const rejected = share(cases, (c) => c.rejectedAt !== null);
    expect(rejected).toBeGreaterThan(0.01);
    expect(rejected).toBeLessThan(0.06);
    expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThan(CATEGORIES.length / 2);
    expect(share(cases, (c) => c.category === 'S0101')).toBeGreaterThan(0.08);
  });

  it('keeps step times in order, none after now, later steps empty once one is', () => {
    for (const c of cases) {
      let prev = -Infinity;
      let ended = false;
      for (const k of STEPS) {
        const t = c[k];
        if (t === null) {
          ended = true;
          continue;
        }
        expect(ended, `${k} after an empty step`).toBe(false);
        expect(t).toBeGreaterThanOrEqual(prev);
        expect(t).toBeLessThanOrEqual(DEFAULT_NOW);
        prev = t;
      }
      if (c.rejectedAt !== null) {
        expect(c.registeredAt).toBeNull();
        expect(c.rejectedAt).toBeGreaterThanOrEqual(c.reportedAt);
      }
      expect(c.assigneeId === null).toBe(c.dispatchedAt === null);
      if (c.onSite) expect(c.source).toBe('patrol');
    }
    expect(cases.map((c) => c.reportedAt)).toEqual([...cases.map((c) => c.reportedAt)].sort((a, b) => a - b));
  });

  it('leaves nothing older than yesterday open: every such case closed and evaluated (or rejected)', () => {
    const recentFrom = localMidnight(localDay(DEFAULT_NOW) - 1);
    const old = cases.filter((c) => c.reportedAt < recentFrom);
    expect(old.length).toBeGreaterThan(cases.length / 2);
    for (const c of old) {
      expect(
        c.closedAt !== null || c.rejectedAt !== null || c.voidedAt !== null,
        `case reported ${new Date(c.reportedAt).toISOString()} still open`,
      ).toBe(true);
      expect(c.parkedAt).toBeNull();
    }
    // …and evaluated (评价): no desk finds months-old work, not even the shift lead's follow-up.
    const closedOld = old.filter((c) => c.closedAt !== null);
    expect(closedOld.every((c) => c.evaluatedAt !== null || c.closedAt! > DEFAULT_NOW - 4 * 3_600_000)).toBe(
      true,
    );
    for (const c of cases.filter((x) => x.evaluatedAt !== null)) {
      expect(c.evaluatedAt!).toBeGreaterThanOrEqual(c.closedAt!);
      expect(c.evaluatedAt!).toBeLessThanOrEqual(DEFAULT_NOW);
      expect(c.rating).not.toBeNull();
    }
    // Recent cases: most of yesterday's done, some of today's still at a step; parked ones only here.
    const recent = cases.filter((c) => c.reportedAt >= recentFrom && c.registeredAt !== null);
    const open = share(recent, (c) => c.closedAt === null);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(0.7);
    for (const c of cases.filter((x) => x.parkedAt !== null)) {
      expect(c.reportedAt).toBeGreaterThanOrEqual(recentFrom);
      expect(c.closedAt).toBeNull();
      expect(c.dispatchedAt).not.toBeNull();
      expect(c.parkedAt!).toBeLessThanOrEqual(DEFAULT_NOW);
    }
  });

  it('closes most cases on time, some reworked', () => {
    const closed = cases.filter((c) => c.closedAt !== null && c.dispatchedAt !== null);
    const limit = new Map(CATEGORIES.map((c) => [c.code, c]));
    const onTime = share(closed, (c) => {
      const cat = limit.get(c.category)!;
      const due =
        cat.urgency === 'red'
          ? c.dispatchedAt! + cat.limitWorkingHours * 3_600_000
          : addWorkingHours(c.dispatchedAt!, cat.limitWorkingHours);
      return c.closedAt! <= due;
    });
    expect(onTime).toBeGreaterThan(0.85);
    expect(onTime).toBeLessThan(1);
    const reworked = share(closed, (c) => c.reworked);
    expect(reworked).toBeGreaterThan(0.002);
    expect(reworked).toBeLessThan(0.05);
    const patrolHandled = cases.filter((c) => c.source === 'patrol' && c.handledAt !== null);
    expect(share(patrolHandled, (c) => c.onSite)).toBeCloseTo(0.84, 1);
  });

  it('is not perfect: some cases escalated out of the grid, some registrations voided', () => {
    const closed = cases.filter((c) => c.closedAt !== null);
    // 网格内解决率 in the 90s, not 100 %.
    const escalated = share(closed, (c) => c.escalatedAt !== null);
    expect(escalated).toBeGreaterThan(0.005);
    expect(escalated).toBeLessThan(0.1);
    for (const c of cases.filter((x) => x.escalatedAt !== null)) {
      expect(c.escalatedAt!).toBeGreaterThanOrEqual(c.registeredAt!);
      expect(c.escalatedAt!).toBeLessThanOrEqual(c.dispatchedAt!);
      expect(c.onSite).toBe(false);
    }
    // 现场处置率 around Suzhou's 84 %: the reporter's own and the dispatched worker's on arrival.
    const handled = cases.filter((c) => c.handledAt !== null);
    const onSpot = share(handled, (c) => c.handledOnSite);
    expect(onSpot).toBeGreaterThan(0.72);
    expect(onSpot).toBeLessThan(0.95);
    expect(cases.every((c) => !c.onSite || c.handledOnSite)).toBe(true);
    // 准确立案率 below 100 %: a registration later returned and rejected.
    const registered = cases.filter((c) => c.registeredAt !== null);
    const voided = share(registered, (c) => c.voidedAt !== null);
    expect(voided).toBeGreaterThan(0.002);
    expect(voided).toBeLessThan(0.04);
    for (const c of cases.filter((x) => x.voidedAt !== null)) {
      expect(c.voidedAt!).toBeGreaterThan(c.registeredAt!);
      expect(c.dispatchedAt).toBeNull();
    }
  });

  it('files each case in the grid containing it, with a worker of that grid or a neighbour', () => {
    const grids = new Map(city.grids.map((g) => [g.code, g]));
    const staff = new Map(city.staff.map((s) => [s.id, s]));
    const near = neighbourCodes(city);
    for (const c of cases) {
      expect(
        turf.booleanPointInPolygon([c.lng, c.lat], turf.multiPolygon(grids.get(c.gridCode)!.polygon)),
      ).toBe(true);
      expect(c.description.length).toBeGreaterThan(4);
      if (c.assigneeId === null) continue;
      const s = staff.get(c.assigneeId)!;
      expect(s.gridCode === c.gridCode || near.get(c.gridCode)!.has(s.gridCode)).toBe(true);
    }
  });

  it('follows the day: quiet nights, busy mornings and afternoons, and hot spots', () => {
    const hour = (c: GeneratedCase): number => localHour(c.reportedAt);
    expect(share(cases, (c) => hour(c) < 6)).toBeLessThan(0.08);
    expect(
      share(cases, (c) => (hour(c) >= 9 && hour(c) < 12) || (hour(c) >= 14 && hour(c) < 17)),
    ).toBeGreaterThan(0.35);
    // A hot spot piles cases into a few hundred metres.
    const bins = new Map<string, number>();
    for (const c of cases) {
      const k = `${Math.floor(c.lng / 0.003)},${Math.floor(c.lat / 0.003)}`;
      bins.set(k, (bins.get(k) ?? 0) + 1);
    }
    expect(Math.max(...bins.values()) / cases.length).toBeGreaterThan(0.02);
  });

  it('demo: ~250–400 cases a day, fewer at weekends', { timeout: 120_000 }, () => {
    const demo = generateCity({ profile: 'demo', historyDays: 28 });
    const full = demo.cases.filter((c) => c.reportedAt < DEFAULT_NOW - (DEFAULT_NOW % DAY) - 8 * 3_600_000);
    const days = new Map<number, number>();
    for (const c of full)
      days.set(
        Math.floor((c.reportedAt + 8 * 3_600_000) / DAY),
        (days.get(Math.floor((c.reportedAt + 8 * 3_600_000) / DAY)) ?? 0) + 1,
      );
    const counts = [...days.entries()];
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const weekday = mean(counts.filter(([d]) => ![0, 6].includes(localWeekday(d * DAY))).map(([, n]) => n));
    const weekend = mean(counts.filter(([d]) => [0, 6].includes(localWeekday(d * DAY))).map(([, n]) => n));
    expect(weekday).toBeGreaterThan(250);
    expect(weekday).toBeLessThan(400);
    expect(weekend).toBeLessThan(weekday);
  });
});
