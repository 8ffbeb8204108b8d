// Grid staff, 一长三员: in every grid one leader (网格长), one or two full-time workers
// (专职网格员) and two to five part-time ones (兼职网格员); an instructor (网格指导员) per grid
// when the staffing level allows it, otherwise one per community. Extra posts go where the
// random size of the grid puts them, tuned so the total comes close to the profile's figure.

import type { GeneratedGrid, GeneratedStaff, LngLat, StaffRole } from '../city.ts';
import type { Rng } from '../random.ts';
import { personName, phoneNumber } from '../names/people.ts';

export interface StaffInput {
  grids: readonly GeneratedGrid[];
  /** Road vertices inside each grid (by grid index). */
  roadVertices: readonly (readonly LngLat[])[];
  /** A point inside grid i, for grids without a road vertex. */
  interiorPoint: (i: number) => LngLat;
  target: number;
  rng: Rng;
}

/** Beyond the minimum: one more full-time and three more part-time posts at most. */
const MAX_EXTRA = 4;

export function buildStaff(input: StaffInput): GeneratedStaff[] {
  const { grids, rng } = input;
  const n = grids.length;
  if (n === 0) return [];
  const communities = new Set(grids.map((g) => g.communityCode)).size;
  const instructorPerGrid = input.target / n >= 7;
  const instructors = instructorPerGrid ? n : communities;
  // Minimum per grid: leader + 1 full-time + 2 part-time.
  let extra = Math.max(0, Math.min(MAX_EXTRA * n, input.target - instructors - 4 * n));
  const mean = extra / n;
  const extras = grids.map(() =>
    Math.max(0, Math.min(MAX_EXTRA, Math.round(mean + (rng.next() - 0.5) * 2.2))),
  );
  let sum = extras.reduce((a, b) => a + b, 0);
  const order = grids.map((_, i) => i);
  rng.shuffle(order);
  for (let k = 0; sum !== extra && k < 20 * n; k++) {
    const i = order[k % n]!;
    if (sum < extra && extras[i]! < MAX_EXTRA) {
      extras[i]!++;
      sum++;
    } else if (sum > extra && extras[i]! > 0) {
      extras[i]!--;
      sum--;
    }
  }
  extra = sum;

  const phones = new Set<string>();
  const staff: GeneratedStaff[] = [];
  const seenCommunity = new Set<string>();
  grids.forEach((g, i) => {
    const verts = input.roadVertices[i] ?? [];
    const home = (): LngLat => {
      const v = verts.length > 0 ? verts[rng.int(0, verts.length - 1)]! : input.interiorPoint(i);
      return [v[0], v[1]];
    };
    const add = (role: StaffRole): void => {
      staff.push({
        id: staff.length + 1,
        name: personName(rng),
        role,
        gridCode: g.code,
        phone: phoneNumber(rng, phones),
        home: home(),
      });
    };
    const e = extras[i]!;
    // The second full-time post comes with a bigger grid; the rest are part-time.
    const fulltime = e >= 2 || (e === 1 && g.urban && rng.chance(0.5)) ? 2 : 1;
    const parttime = 2 + e - (fulltime - 1);
    add('leader');
    for (let k = 0; k < fulltime; k++) add('fulltime');
    for (let k = 0; k < parttime; k++) add('parttime');
    if (instructorPerGrid || !seenCommunity.has(g.communityCode)) add('instructor');
    seenCommunity.add(g.communityCode);
  });
  return staff;
}
