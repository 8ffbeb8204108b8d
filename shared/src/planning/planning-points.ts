import Flatbush from 'flatbush';
import { quantise } from '../topology/topology.ts';
import type { AddressPointColumns, CasePointColumns } from './planning-points.codec.ts';

// The points of the live statistics in one packed R-tree, built once per boundary version:
// address points first, then case points. Coordinates are kept quantised as the topology's
// (1e-7°, COORD_SCALE), so a point and a border are compared as integers, exactly.

export class PlanningPoints {
  /** Address points are indices [0, addressCount); case points follow. */
  readonly addressCount: number;
  readonly caseCount: number;
  readonly qx: Int32Array;
  readonly qy: Int32Array;
  readonly households: Uint16Array;
  readonly residents: Uint16Array;
  /** Case flags (CASE_OPEN, CASE_RECENT) by case index (point index − addressCount). */
  readonly caseFlags: Uint8Array;
  private readonly tree: Flatbush | null;

  constructor(addresses: AddressPointColumns, cases: CasePointColumns) {
    const na = addresses.lng.length;
    const nc = cases.lng.length;
    this.addressCount = na;
    this.caseCount = nc;
    this.qx = new Int32Array(na + nc);
    this.qy = new Int32Array(na + nc);
    this.households = addresses.households;
    this.residents = addresses.residents;
    this.caseFlags = cases.flags;
    const put = (i: number, lng: number, lat: number): void => {
      const q = quantise(lng, lat);
      this.qx[i] = q[0];
      this.qy[i] = q[1];
    };
    for (let i = 0; i < na; i++) put(i, addresses.lng[i]!, addresses.lat[i]!);
    for (let i = 0; i < nc; i++) put(na + i, cases.lng[i]!, cases.lat[i]!);
    const n = na + nc;
    if (n === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(n);
    for (let i = 0; i < n; i++) tree.add(this.qx[i]!, this.qy[i]!, this.qx[i]!, this.qy[i]!);
    tree.finish();
    this.tree = tree;
  }

  /** Calls `visit` with every point index inside the quantised box (bounds included). */
  visit(minX: number, minY: number, maxX: number, maxY: number, visit: (i: number) => void): void {
    // The filter sees every hit: answering false keeps flatbush from building a result array.
    this.tree?.search(minX, minY, maxX, maxY, (i) => {
      visit(i);
      return false;
    });
  }
}
