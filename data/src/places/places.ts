// Key places (人、地、物、事、组织 — the "places" of the all-element grid): schools, markets,
// hospitals, hazard sites, elderly care and government offices, each in the grid that contains
// it. Places stand by a road where the grid has one.

import type {
  GeneratedGrid,
  GeneratedPlace,
  GeneratedRoad,
  GeneratedUnit,
  LngLat,
  PlaceKind,
} from '../city.ts';
import type { Rng } from '../random.ts';
import { round6 } from '../geo/plane.ts';
import type { GridIndex } from '../spatial/grid-index.ts';

export interface PlacesInput {
  cityName: string;
  units: readonly GeneratedUnit[];
  grids: readonly GeneratedGrid[];
  roads: readonly GeneratedRoad[];
  /** Road vertices inside each grid (by grid index). */
  roadVertices: readonly (readonly LngLat[])[];
  index: GridIndex;
  /** Seat of each district (WGS-84), by district code. */
  seats: ReadonlyMap<string, LngLat>;
  isWater: (p: LngLat) => boolean;
  rng: Rng;
}

/** "金桂社区" → "金桂", "童村碓村" → "童村碓", "石梁镇" → "石梁", "新新街道" → "新新". */
export function stem(name: string): string {
  return name.replace(/(社区|街道|村|镇|乡|区|县|市)$/, '') || name;
}

export function buildPlaces(input: PlacesInput): GeneratedPlace[] {
  const { grids, index, rng } = input;
  const places: GeneratedPlace[] = [];
  const names = new Set<string>();
  const gridsOf = new Map<string, number[]>();
  grids.forEach((g, i) => {
    for (const code of [g.communityCode, g.communityCode.slice(0, 9), g.communityCode.slice(0, 6)]) {
      const list = gridsOf.get(code) ?? [];
      list.push(i);
      gridsOf.set(code, list);
    }
  });

  /** A point by a road of grid i (or inside it), and the grid that really contains it. */
  const spotIn = (i: number): { at: LngLat; grid: number } => {
    const verts = input.roadVertices[i] ?? [];
    for (let k = 0; k < 6 && verts.length > 0; k++) {
      const v = verts[rng.int(0, verts.length - 1)]!;
      // A building stands 10–40 m off the road.
      const d = rng.range(0.0001, 0.0004);
      const a = rng.range(0, 2 * Math.PI);
      const p: LngLat = [round6(v[0] + Math.cos(a) * d), round6(v[1] + Math.sin(a) * d)];
      const g = index.locate(p[0], p[1]);
      if (g >= 0 && !input.isWater(p)) return { at: p, grid: g };
    }
    const p = index.interiorPoint(i);
    return { at: p, grid: index.locate(p[0], p[1]) >= 0 ? index.locate(p[0], p[1]) : i };
  };
  const add = (kind: PlaceKind, name: string, grid: number): void => {
    if (grid < 0 || names.has(name)) return;
    names.add(name);
    const s = spotIn(grid);
    places.push({ kind, name, lng: s.at[0], lat: s.at[1], gridCode: grids[s.grid]!.code });
  };
  const someGrid = (code: string): number => {
    const list = gridsOf.get(code);
    return list && list.length > 0 ? list[rng.int(0, list.length - 1)]! : -1;
  };
  const gridAt = (p: LngLat | undefined, code: string): number => {
    const g = p ? index.locate(p[0], p[1]) : -1;
    return g >= 0 && grids[g]!.code.startsWith(code) ? g : someGrid(code);
  };

  const districts = input.units.filter((u) => u.level === 'district');
  const streets = input.units.filter((u) => u.level === 'street');
  const communities = input.units.filter((u) => u.level === 'community');

  // Government offices: the city and district governments at the seats, a 街道办事处 or a
  // township government in every street.
  districts.forEach((d, k) => {
    const g = gridAt(input.seats.get(d.code), d.code);
    if (k === 0) add('government', `${input.cityName}人民政府`, g);
    add('government', `${d.name}人民政府`, g);
    add('hospital', k === 0 ? `${input.cityName}人民医院` : `${d.name}人民医院`, someGrid(d.code));
    if (k === 0) {
      add('hospital', `${input.cityName}中医医院`, someGrid(d.code));
      add('school', `${input.cityName}第一中学`, someGrid(d.code));
      add('school', `${input.cityName}第二中学`, someGrid(d.code));
    } else {
      add('school', `${stem(d.name)}中学`, someGrid(d.code));
    }
    add('elderly-care', `${d.name}社会福利中心`, someGrid(d.code));
  });
  for (const s of streets) {
    add('government', s.urban ? `${s.name}办事处` : `${s.name}人民政府`, someGrid(s.code));
    if (!s.urban) {
      add('school', `${stem(s.name)}中心小学`, someGrid(s.code));
      add('market', `${stem(s.name)}农贸市场`, someGrid(s.code));
      add('hospital', `${s.name}卫生院`, someGrid(s.code));
      if (rng.chance(0.5)) add('school', `${stem(s.name)}初级中学`, someGrid(s.code));
    }
  }
  for (const c of communities) {
    const g = (): number => someGrid(c.code);
    const st = stem(c.name);
    if (c.urban) {
      const r = rng.next();
      if (r < 0.25) add('school', `${st}小学`, g());
      else if (r < 0.45) add('school', `${st}幼儿园`, g());
      if (rng.chance(0.22)) add('market', `${st}${rng.chance(0.5) ? '农贸市场' : '菜市场'}`, g());
      if (rng.chance(0.2)) add('hospital', `${st}社区卫生服务站`, g());
      if (rng.chance(0.45)) add('elderly-care', `${st}居家养老服务中心`, g());
    } else if (rng.chance(0.18)) {
      add('elderly-care', `${c.name}幸福院`, g());
    }
  }

  // Hazards: filling stations on the main roads, warehouses and gas depots out of town.
  const main = input.roads.filter((r) => r.class === 'primary' || r.class === 'secondary');
  const stations = Math.max(2, Math.round(grids.length / 40));
  for (let k = 0; k < stations && main.length > 0; k++) {
    const road = rng.pick(main);
    const v = road.coords[rng.int(0, road.coords.length - 1)]!;
    const g = index.locate(v[0], v[1]);
    add('hazard', `${rng.chance(0.6) ? '中国石化' : '中国石油'}${stem(road.name).slice(0, 4)}加油站`, g);
  }
  const rural = communities.filter((c) => !c.urban);
  const pool = rural.length > 0 ? rural : communities;
  const warehouses = Math.max(1, Math.round(grids.length / 150));
  for (let k = 0; k < warehouses && pool.length > 0; k++) {
    const c = rng.pick(pool);
    add('hazard', `${stem(c.name)}危化品仓库`, someGrid(c.code));
  }
  const depots = Math.max(1, Math.round(grids.length / 200));
  for (let k = 0; k < depots && pool.length > 0; k++) {
    const c = rng.pick(pool);
    add('hazard', `${stem(c.name)}液化气供应站`, someGrid(c.code));
  }
  return places;
}
