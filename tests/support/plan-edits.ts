import type { GridId } from '@gcc/shared';
import { decideEdit, facePolygon, type Topology, type TopologyEdit } from '@gcc/shared/topology';

/**
 * A north–south cut of `grid` at the first share of its width the engine takes, or null (a
 * multi-part grid, or no share works). A small share cuts off a sliver.
 */
export function cutAcross(
  t: Topology,
  grid: GridId,
  newGrid: GridId,
  shares: readonly number[] = [0.5, 0.45, 0.55, 0.4, 0.6],
): TopologyEdit | null {
  const ring = facePolygon(t, grid)[0]?.[0];
  if (!ring || t.faces.get(grid)?.rings.length !== 1) return null;
  const lngs = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const [south, north] = [Math.min(...lats) - 1e-4, Math.max(...lats) + 1e-4];
  const [west, east] = [Math.min(...lngs), Math.max(...lngs)];
  for (const share of shares) {
    const lng = west + share * (east - west);
    const edit: TopologyEdit = {
      type: 'splitGrid',
      grid,
      line: [
        [lng, north],
        [lng, south],
      ],
      newGrid,
    };
    if (decideEdit(t, edit).ok) return edit;
  }
  return null;
}
