// Water: the 衢江 (Qu River) crossing the city as a band 200–400 m wide, passing just west of
// the seat's core as the real river passes the old town, plus a few lakes and reservoirs.

import Flatbush from 'flatbush';
import * as turf from '@turf/turf';
import type { GeneratedWater } from '../city.ts';
import type { Rng } from '../random.ts';
import type { BBox, MultiPolygonXY, Plane, Ring, XY } from '../geo/plane.ts';
import { bboxOfMulti, insideTest, toOutputMulti } from '../geo/plane.ts';
import type { Layout } from '../city/layout.ts';
import { geometryToXY, unionXY } from '../city/zones.ts';

export interface WaterBody {
  name: string;
  kind: 'river' | 'lake';
  poly: MultiPolygonXY;
}

const LAKE_NAMES = ['信安湖', '鹿鸣湖', '白鹭湖', '月亮湖', '荷花塘', '乌溪江水库', '铜山源水库', '东湖'];

function clipToLand(ring: Ring, layout: Layout): MultiPolygonXY {
  const pieces: MultiPolygonXY[] = [];
  for (const z of layout.zones) {
    const cut = turf.intersect(
      turf.featureCollection([turf.multiPolygon([[ring]]), turf.multiPolygon(z.poly)]),
    );
    if (cut) pieces.push(geometryToXY(cut.geometry));
  }
  return pieces.length === 0 ? [] : unionXY(pieces);
}

export function buildWater(layout: Layout, rng: Rng): WaterBody[] {
  const out: WaterBody[] = [];
  const boxes = layout.zones.map((z) => bboxOfMulti(z.poly));
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[2]));
  const y1 = Math.max(...boxes.map((b) => b[3]));
  const seat = layout.cores.find((c) => c.main) ?? layout.cores[0];
  const centre: XY = seat ? seat.centre : [(x0 + x1) / 2, (y0 + y1) / 2];

  // The river runs south-west to north-east, about a kilometre west of the seat.
  const angle = ((40 + rng.range(-10, 10)) * Math.PI) / 180;
  const t: XY = [Math.cos(angle), Math.sin(angle)];
  const n: XY = [-t[1], t[0]];
  const origin: XY = [centre[0] + n[0] * rng.range(0.8, 1.5), centre[1] + n[1] * rng.range(0.8, 1.5)];
  const half = Math.hypot(x1 - x0, y1 - y0);
  const waves = [
    { a: rng.range(0.8, 1.5), l: rng.range(7, 11), p: rng.range(0, 2 * Math.PI) },
    { a: rng.range(0.2, 0.45), l: rng.range(2.5, 4), p: rng.range(0, 2 * Math.PI) },
  ];
  const wobble = (s: number): number =>
    waves.reduce((acc, w) => acc + w.a * Math.sin((2 * Math.PI * s) / w.l + w.p), 0);
  const w0 = wobble(0);
  const widthPhase = rng.range(0, 2 * Math.PI);
  const centreline: XY[] = [];
  for (let s = -half; s <= half; s += 0.25) {
    // Damped near the seat so the river keeps to the old town's west bank.
    const off = (wobble(s) - w0) * Math.min(1, Math.abs(s) / 4);
    centreline.push([origin[0] + t[0] * s + n[0] * off, origin[1] + t[1] * s + n[1] * off]);
  }
  const left: XY[] = [];
  const right: XY[] = [];
  centreline.forEach((p, i) => {
    const a = centreline[Math.max(0, i - 1)]!;
    const b = centreline[Math.min(centreline.length - 1, i + 1)]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const nn: XY = [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
    const w = 0.3 + 0.08 * Math.sin(i / 17 + widthPhase);
    left.push([p[0] + (nn[0] * w) / 2, p[1] + (nn[1] * w) / 2]);
    right.push([p[0] - (nn[0] * w) / 2, p[1] - (nn[1] * w) / 2]);
  });
  const band: Ring = [...left, ...right.reverse()];
  band.push([band[0]![0], band[0]![1]]);
  const river = clipToLand(band, layout);
  if (river.length > 0) out.push({ name: '衢江', kind: 'river', poly: river });
  const nearRiver = (p: XY, r: number): boolean =>
    centreline.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < r);

  // Lakes: one in the seat's core (a park lake), the others out in the countryside.
  const urban = layout.cells.filter((c) => c.urbanSeed && c.core >= 0 && layout.cores[c.core]!.main);
  const rural = layout.cells.filter((c) => !c.urbanSeed);
  const lakeCount = layout.cells.length > 200 ? 3 : 2;
  const names = rng.shuffle([...LAKE_NAMES]);
  for (let k = 0, tries = 0; k < lakeCount && tries < 200; tries++) {
    const pool = k === 0 && urban.length > 0 ? urban : rural.length > 0 ? rural : layout.cells;
    const at = rng.pick(pool).seed;
    const r = k === 0 ? rng.range(0.12, 0.25) : rng.range(0.2, 0.5);
    if (nearRiver(at, r + 0.4)) continue;
    if (out.some((w) => w.kind === 'lake' && insideTest(w.poly)(at[0], at[1]))) continue;
    const ring: Ring = [];
    const ph = [rng.range(0, 6.3), rng.range(0, 6.3)];
    for (let i = 0; i < 28; i++) {
      const a = (2 * Math.PI * i) / 28;
      const rr = r * (1 + 0.18 * Math.sin(2 * a + ph[0]!) + 0.1 * Math.sin(3 * a + ph[1]!));
      ring.push([at[0] + Math.cos(a) * rr, at[1] + Math.sin(a) * rr * 0.8]);
    }
    ring.push([ring[0]![0], ring[0]![1]]);
    const lake = clipToLand(ring, layout);
    if (lake.length === 0) continue;
    out.push({ name: names[k % names.length]!, kind: 'lake', poly: lake });
    k++;
  }
  return out;
}

/**
 * Whether a box of the plane may hold water: a water outline crosses it, or it lies in water.
 * A box it says no for is dry all over, so points placed in it need no water test.
 */
export function waterNearTest(bodies: readonly WaterBody[]): (box: BBox) => boolean {
  const segments: [XY, XY][] = [];
  for (const b of bodies)
    for (const poly of b.poly)
      for (const ring of poly)
        for (let i = 0; i < ring.length; i++) segments.push([ring[i]!, ring[(i + 1) % ring.length]!]);
  if (segments.length === 0) return () => false;
  const tree = new Flatbush(segments.length);
  for (const [a, b] of segments)
    tree.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  tree.finish();
  const onWater = waterTest(bodies);
  // A segment's box touching the box is enough to say "maybe": the exact test runs then.
  return (box) =>
    tree.search(box[0], box[1], box[2], box[3]).length > 0 ||
    onWater([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]);
}

/** A fast "is this point on water" test in the plane. */
export function waterTest(bodies: readonly WaterBody[]): (p: XY) => boolean {
  const boxes = bodies.map((b) => bboxOfMulti(b.poly));
  const inside = bodies.map((b) => insideTest(b.poly));
  return (p) =>
    bodies.some((b, i) => {
      const bb = boxes[i]!;
      return p[0] >= bb[0] && p[0] <= bb[2] && p[1] >= bb[1] && p[1] <= bb[3] && inside[i]!(p[0], p[1]);
    });
}

export function waterOutput(bodies: readonly WaterBody[], plane: Plane): GeneratedWater[] {
  return bodies
    .map((b) => ({ name: b.name, kind: b.kind, polygon: toOutputMulti(b.poly, plane) }))
    .filter((w) => w.polygon.length > 0);
}
