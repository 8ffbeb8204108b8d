// Months of case history ending at `now`, shaped like a working command centre's: a day/night
// rhythm in local time, quieter weekends, a category mix by the category table's weights,
// sources as Suzhou reports them (78% patrol), a few hot spots, and step times that respect the
// handling limits (most cases on time, a few overdue, ~2% reworked). Streets differ, as they do in
// any city's monthly ranking: each street draws its own share of overdue handling, escalations to
// the street (网格内解决率 in the 90s, Jurong reports 98 %), registrations voided later (准确立案率
// 97–99.5 %) and on-the-spot handling (Suzhou: 84.33 %). Only recent cases (reported
// today or yesterday) are still open at whatever step `now` finds them, a few of them parked
// (挂账); everything older has gone round the loop: closed (结案) and evaluated (评价), or
// rejected — a well-run centre's 结案率 is 99.9%, so a desk never finds months-old work.

import { CATEGORIES, streetCodeOf } from '@gcc/shared';
import type { Category } from '@gcc/shared';
import type {
  CaseSource,
  GeneratedCase,
  GeneratedGrid,
  GeneratedPlace,
  GeneratedStaff,
  LngLat,
} from '../city.ts';
import type { Rng } from '../random.ts';
import { weightedSampler } from '../random.ts';
import { round6 } from '../geo/plane.ts';
import type { GridIndex } from '../spatial/grid-index.ts';
import { describe } from './descriptions.ts';
import { addWorkingHours, localDay, localHour, localMidnight, localWeekday } from '@gcc/shared';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Relative report volume per local hour: quiet nights, peaks mid-morning and mid-afternoon. */
export const HOURLY_WEIGHTS = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 2.0, 1.7, 1.0, 1.1, 1.6, 1.8, 1.6, 1.3, 0.9, 0.7, 0.6,
  0.45, 0.3, 0.2,
];

export const SOURCE_SHARES: Readonly<Record<CaseSource, number>> = {
  patrol: 0.78,
  hotline: 0.12,
  resident: 0.07,
  sensor: 0.02,
  superior: 0.01,
};
const SOURCES = Object.keys(SOURCE_SHARES) as CaseSource[];

/** Share of reports not registered (duplicates, outside the remit); about 3% overall. */
const REJECT: Readonly<Record<CaseSource, number>> = {
  patrol: 0.015,
  hotline: 0.09,
  resident: 0.08,
  sensor: 0.05,
  superior: 0,
};
/** Minutes from report to registration (or rejection). */
const REGISTER_MINUTES: Readonly<Record<CaseSource, [number, number]>> = {
  patrol: [1, 12],
  hotline: [5, 60],
  resident: [10, 90],
  sensor: [1, 8],
  superior: [20, 180],
};
/** Share of patrol reports the reporting worker handles on the spot (Suzhou: 84.33%). */
export const ON_SITE_SHARE = 0.84;
const REWORK = 0.02;
/** Recent cases parked (挂账) after dispatch or acceptance. */
const PARKED = 0.006;
/** Share of recent closed cases evaluated (评价) so far, and the ratings' shares (as the simulated desk); older ones all are. */
const EVALUATED = 0.4;
const RATINGS = [
  ['satisfied', 0.85],
  ['basic', 0.12],
  ['unsatisfied', 0.03],
] as const;
/** How one street works: its shares, drawn once per street (a town's ranking is never flat). */
interface StreetPractice {
  overdue: number;
  escalate: number;
  voided: number;
  onSite: number;
  dispatchedOnSite: number;
}

/** Draws a street's practice: most streets good, a few weaker ones. */
function drawPractice(rng: Rng): StreetPractice {
  const weak = rng.chance(0.2);
  return {
    overdue: weak ? rng.range(0.08, 0.14) : rng.range(0.02, 0.07),
    escalate: weak ? rng.range(0.1, 0.18) : rng.range(0.03, 0.08),
    voided: weak ? rng.range(0.015, 0.03) : rng.range(0.004, 0.015),
    onSite: Math.min(0.95, Math.max(0.7, ON_SITE_SHARE + rng.range(-0.08, 0.06))),
    dispatchedOnSite: weak ? rng.range(0.35, 0.55) : rng.range(0.5, 0.7),
  };
}

/** Share of cases an assignee from a neighbouring grid takes (surge, 平时为掌、战时为拳). */
const NEIGHBOUR_ASSIGNEE = 0.08;

export interface HotSpot {
  at: LngLat;
  category: string;
  /** Share of all cases reported there. */
  share: number;
  label: string;
}

export interface HistoryInput {
  grids: readonly GeneratedGrid[];
  index: GridIndex;
  /** Road vertices inside each grid with the road's name. */
  roadSpots: readonly (readonly { at: LngLat; road: string }[])[];
  places: readonly GeneratedPlace[];
  staff: readonly GeneratedStaff[];
  /** Grid indices adjacent to each grid. */
  neighbours: readonly (readonly number[])[];
  isWater: (p: LngLat) => boolean;
  now: number;
  days: number;
  casesPerGridPerDay: number;
  rng: Rng;
}

const SENSOR_CATEGORIES = new Set(['B0101', 'B0103', 'S0401', 'S0402']);
const HOT_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  market: ['S0501', 'S0503', 'S0101'],
  school: ['S0502'],
  hospital: ['S0502'],
  other: ['S0101', 'S0302', 'S0401', 'S0702'],
};

export function buildHistory(input: HistoryInput): GeneratedCase[] {
  const { grids, index, rng, now } = input;
  if (grids.length === 0 || input.days <= 0) return [];
  const categories = CATEGORIES.filter((c) => c.weight > 0);
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const drawCategory = weightedSampler(categories.map((c) => c.weight));
  const sensorCats = categories.filter((c) => SENSOR_CATEGORIES.has(c.code));
  const drawSource = weightedSampler(SOURCES.map((s) => SOURCE_SHARES[s]));
  const drawHour = weightedSampler(HOURLY_WEIGHTS);
  // Urban grids see more cases than rural ones, in proportion to people.
  const drawGrid = weightedSampler(grids.map((g) => g.population * (g.urban ? 1.3 : 0.7)));
  const placesByGrid = new Map<string, GeneratedPlace[]>();
  for (const p of input.places) placesByGrid.set(p.gridCode, [...(placesByGrid.get(p.gridCode) ?? []), p]);
  const staffByGrid = new Map<string, GeneratedStaff[]>();
  for (const s of input.staff) {
    if (s.role === 'instructor') continue;
    staffByGrid.set(s.gridCode, [...(staffByGrid.get(s.gridCode) ?? []), s]);
  }

  // Hot spots: places (or busy corners) where one kind of problem keeps coming back.
  const hotSpots: HotSpot[] = [];
  const candidates = input.places.filter(
    (p) => p.kind === 'market' || p.kind === 'school' || p.kind === 'hospital',
  );
  const spotCount = 3 + rng.int(0, 2);
  for (let k = 0; k < spotCount; k++) {
    const place = candidates.length > 0 && rng.chance(0.75) ? rng.pick(candidates) : null;
    let at: LngLat;
    let label: string;
    let kind: string;
    if (place) {
      at = [place.lng, place.lat];
      label = place.name;
      kind = place.kind;
    } else {
      const g = drawGrid(rng);
      const spots = input.roadSpots[g] ?? [];
      const s = spots.length > 0 ? rng.pick(spots) : { at: index.interiorPoint(g), road: grids[g]!.name };
      at = s.at;
      label = s.road;
      kind = 'other';
    }
    const cats = (HOT_CATEGORY[kind] ?? HOT_CATEGORY['other']!).filter((c) => byCode.has(c));
    if (cats.length === 0) continue;
    hotSpots.push({ at, category: rng.pick(cats), share: rng.range(0.02, 0.04), label });
  }
  const hotTotal = hotSpots.reduce((a, h) => a + h.share, 0);
  const drawHot = hotSpots.length > 0 ? weightedSampler(hotSpots.map((h) => h.share)) : null;

  /** A point (and words for it) somewhere in grid g, by a road or a place where possible. */
  const spotInGrid = (g: number): { at: LngLat; where: string } => {
    const grid = grids[g]!;
    const places = placesByGrid.get(grid.code) ?? [];
    const roads = input.roadSpots[g] ?? [];
    if (places.length > 0 && rng.chance(0.12)) {
      const p = rng.pick(places);
      return {
        at: jitter([p.lng, p.lat], 0.00025),
        where: `${p.name}${rng.pick(['门口', '周边', '东侧', '西侧', '南侧', '北侧'])}`,
      };
    }
    if (roads.length > 0) {
      const s = rng.pick(roads);
      const where = rng.chance(0.7)
        ? `${s.road}${rng.int(1, 260)}号${rng.pick(['', '', '门前', '旁'])}`
        : `${s.road}沿线`;
      return { at: jitter(s.at, 0.0003), where };
    }
    const community = grid.name.replace(/第\d+网格$/, '');
    return { at: index.interiorPoint(g), where: `${community}${rng.int(1, 12)}组` };
  };
  const jitter = (p: LngLat, r: number): LngLat => {
    const a = rng.range(0, 2 * Math.PI);
    const d = r * Math.sqrt(rng.next());
    return [round6(p[0] + Math.cos(a) * d), round6(p[1] + Math.sin(a) * d)];
  };
  const pickStaff = (gridIndex: number, onSite: boolean): number | null => {
    let g = gridIndex;
    const near = input.neighbours[gridIndex] ?? [];
    if (!onSite && near.length > 0 && rng.chance(NEIGHBOUR_ASSIGNEE)) g = rng.pick(near);
    const list = staffByGrid.get(grids[g]!.code) ?? staffByGrid.get(grids[gridIndex]!.code) ?? [];
    if (list.length === 0) return null;
    // Patrols are walked mostly by full-time workers; leaders take fewer cases.
    const weights = list.map((s) => (s.role === 'fulltime' ? 6 : s.role === 'parttime' ? 2 : 1));
    return list[weightedSampler(weights)(rng)]!.id;
  };

  const cases: GeneratedCase[] = [];
  const firstDay = localDay(now) - (input.days - 1);
  /** Cases reported before yesterday's local midnight have finished the loop. */
  const recentFrom = localMidnight(localDay(now) - 1);
  const drawRating = weightedSampler(RATINGS.map(([, w]) => w));
  // The street of a grid: its code's first 9 digits (region 6 + street 3, GB/T 30428).
  const practiceOf = new Map<string, StreetPractice>();
  for (const g of grids) {
    const street = streetCodeOf(g.code);
    if (!practiceOf.has(street)) practiceOf.set(street, drawPractice(rng));
  }
  const meanPerDay = input.casesPerGridPerDay * grids.length;
  const hourShare = HOURLY_WEIGHTS.map((w) => w / HOURLY_WEIGHTS.reduce((a, b) => a + b, 0));
  for (let d = firstDay; d <= localDay(now); d++) {
    const midnight = localMidnight(d);
    const wd = localWeekday(midnight);
    const weekFactor = wd === 6 ? 0.85 : wd === 0 ? 0.8 : 1;
    // On the last day only the hours up to `now` have happened.
    let elapsed = 1;
    if (d === localDay(now)) {
      const h = localHour(now);
      const frac = (now - midnight - h * HOUR) / HOUR;
      elapsed = hourShare.slice(0, h).reduce((a, b) => a + b, 0) + hourShare[h]! * frac;
    }
    const count = Math.max(0, Math.round(meanPerDay * weekFactor * elapsed * (1 + 0.08 * rng.normal())));
    for (let k = 0; k < count; k++) {
      let reportedAt = 0;
      for (let guard = 0; guard < 50; guard++) {
        reportedAt = midnight + drawHour(rng) * HOUR + Math.floor(rng.next() * 3600) * 1000;
        if (reportedAt <= now) break;
      }
      if (reportedAt > now) continue;
      const c = makeCase(reportedAt);
      if (c) cases.push(c);
    }
  }

  function makeCase(reportedAt: number): GeneratedCase | null {
    const source = SOURCES[drawSource(rng)]!;
    let category: Category = categories[drawCategory(rng)]!;
    let at: LngLat | null = null;
    let where = '';
    if (drawHot && rng.next() < hotTotal) {
      const h = hotSpots[drawHot(rng)]!;
      for (let guard = 0; guard < 10 && !at; guard++) {
        const p = jitter(h.at, 0.0012);
        if (index.locate(p[0], p[1]) >= 0 && !input.isWater(p)) at = p;
      }
      if (at && rng.chance(0.8)) category = byCode.get(h.category) ?? category;
      where = `${h.label}${rng.pick(['附近', '周边', '门口'])}`;
    }
    if (!at) {
      for (let guard = 0; guard < 10 && !at; guard++) {
        const g = drawGrid(rng);
        const s = spotInGrid(g);
        if (index.locate(s.at[0], s.at[1]) >= 0 && !input.isWater(s.at)) {
          at = s.at;
          where = s.where;
        }
      }
    }
    if (!at) return null;
    const gridIndex = index.locate(at[0], at[1]);
    if (gridIndex < 0) return null;
    if (source === 'sensor' && sensorCats.length > 0) category = rng.pick(sensorCats);
    const description = describe(rng, category, where);
    return timeline(source, category, at, gridIndex, description, reportedAt);
  }

  function timeline(
    source: CaseSource,
    category: Category,
    at: LngLat,
    gridIndex: number,
    description: string,
    reportedAt: number,
  ): GeneratedCase {
    const c: GeneratedCase = {
      source,
      category: category.code,
      lng: at[0],
      lat: at[1],
      gridCode: grids[gridIndex]!.code,
      description,
      reportedAt,
      registeredAt: null,
      rejectedAt: null,
      dispatchedAt: null,
      acceptedAt: null,
      handledAt: null,
      verifiedAt: null,
      closedAt: null,
      evaluatedAt: null,
      rating: null,
      parkedAt: null,
      assigneeId: null,
      reworked: false,
      onSite: false,
      voidedAt: null,
      escalatedAt: null,
      handledOnSite: false,
    };
    const practice = practiceOf.get(streetCodeOf(c.gridCode))!;
    const [r0, r1] = REGISTER_MINUTES[source];
    const intake = reportedAt + Math.round(rng.range(r0, r1) * 60) * 1000;
    if (rng.chance(REJECT[source])) {
      if (intake <= now) c.rejectedAt = intake;
      return c;
    }
    const onSite = source === 'patrol' && rng.chance(practice.onSite);
    // 作废立案: registered in haste, found outside the remit or a duplicate, returned and rejected.
    if (!onSite && rng.chance(practice.voided)) {
      c.registeredAt = intake <= now ? intake : null;
      const voided = Math.round((intake + rng.range(15, 180) * MINUTE) / 1000) * 1000;
      if (c.registeredAt !== null && voided <= now) c.voidedAt = voided;
      return c;
    }
    // 上报升级: beyond the community; the street takes it and dispatches (the clock restarts).
    const escalate = !onSite && rng.chance(practice.escalate);
    const reworked = rng.chance(REWORK);
    const red = category.urgency === 'red';
    const limit = category.limitWorkingHours;
    // Red-urgency limits run around the clock; the others in working hours.
    const after = (t: number, hours: number): number => (red ? t + hours * HOUR : addWorkingHours(t, hours));
    const sec = (t: number): number => Math.round(t / 1000) * 1000;
    let steps: number[];
    let firstVerified: number;
    if (onSite) {
      const dispatched = intake + rng.range(0.5, 3) * MINUTE;
      const accepted = dispatched + rng.range(0, 1.5) * MINUTE;
      let handled = accepted + rng.range(5, 35) * MINUTE;
      let verified = handled + rng.range(10, 60) * MINUTE;
      firstVerified = verified;
      if (reworked) {
        handled = verified + rng.range(30, 180) * MINUTE;
        verified = handled + rng.range(10, 60) * MINUTE;
      }
      steps = [dispatched, accepted, handled, verified, verified + rng.range(2, 15) * MINUTE];
    } else {
      let dispatched = intake + rng.range(3, 30) * MINUTE;
      const h = localHour(intake);
      if (!red && (h >= 22 || h < 7)) {
        // Routine night reports wait for the morning shift.
        const day = localDay(intake) + (h >= 22 ? 1 : 0);
        dispatched = localMidnight(day) + 8 * HOUR + rng.range(0, 40) * MINUTE;
      }
      const late = rng.chance(practice.overdue);
      const f = late ? rng.range(1.05, 1.9) : rng.range(0.15, 0.95);
      const span = f * limit;
      // Signing for a case (签收) takes minutes to an hour, not a share of a long limit.
      const accepted = after(dispatched, Math.min(span * rng.range(0.03, 0.1), rng.range(0.08, 1)));
      // An overdue case's feedback itself comes after the handling limit (按期 is judged on it).
      let handled = after(dispatched, span * (late ? rng.range(0.82, 0.9) : rng.range(0.5, 0.78)));
      let verified = after(dispatched, span * rng.range(0.82, 0.95));
      let closed = after(dispatched, span);
      firstVerified = verified;
      if (reworked) {
        const extra = limit * rng.range(0.3, 1);
        closed = after(closed, extra);
        handled = after(verified, extra * 0.6);
        verified = after(verified, extra * 0.85);
      }
      steps = [dispatched, accepted, handled, verified, closed];
    }

    const recent = reportedAt >= recentFrom;
    if (!recent) {
      // An older case has finished by now: a long limit or an overdue one is squeezed so that it
      // closed a little before now, the steps keeping their order and proportions.
      const last = steps[steps.length - 1]!;
      const end = now - rng.range(0.5, 12) * HOUR;
      if (last > end && last > intake) {
        const k = Math.max(0, (end - intake) / (last - intake));
        const squeeze = (t: number): number => intake + (t - intake) * k;
        steps = steps.map(squeeze);
        firstVerified = squeeze(firstVerified);
      }
    }
    // Parked cases (recent only) stop after dispatch or acceptance and wait, parked.
    const stopAfter = recent && rng.chance(PARKED) ? rng.int(1, 2) : 5;
    c.registeredAt = intake <= now ? intake : null;
    if (c.registeredAt === null) return c;
    const keys = ['dispatchedAt', 'acceptedAt', 'handledAt', 'verifiedAt', 'closedAt'] as const;
    let prev = intake;
    for (let i = 0; i < keys.length; i++) {
      const t = Math.max(prev, sec(steps[i]!));
      if (i >= stopAfter || t > now) break;
      c[keys[i]!] = t;
      prev = t;
    }
    if (c.dispatchedAt !== null) c.assigneeId = pickStaff(gridIndex, onSite);
    if (escalate && c.dispatchedAt !== null)
      c.escalatedAt = sec(intake + (c.dispatchedAt - intake) * rng.range(0.3, 0.7));
    c.onSite = onSite && c.handledAt !== null;
    // A worker sent to a small matter often settles it on arrival (现场处置 of a dispatched case).
    c.handledOnSite = c.onSite || (c.handledAt !== null && rng.chance(practice.dispatchedOnSite));
    // 返工: the first verification failed, whether or not the redo has finished yet.
    c.reworked = reworked && c.acceptedAt !== null && sec(firstVerified) <= now && stopAfter === 5;
    if (stopAfter < 5 && c.dispatchedAt !== null) {
      const parked = sec(prev + rng.range(10, 120) * MINUTE);
      if (parked <= now) c.parkedAt = parked;
    }
    // 评价 (the follow-up call, 回访): every older case has had it; today's and yesterday's in part.
    if (c.closedAt !== null && (!recent || rng.chance(EVALUATED))) {
      const evaluated = sec(c.closedAt + rng.range(20, 240) * MINUTE);
      if (evaluated <= now) {
        c.evaluatedAt = evaluated;
        c.rating = RATINGS[drawRating(rng)]![0];
      }
    }
    return c;
  }

  cases.sort((a, b) => a.reportedAt - b.reportedAt);
  return cases;
}
