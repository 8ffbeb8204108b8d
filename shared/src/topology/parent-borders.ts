import type { GridId, UnitId } from '../ids.ts';
import type { TopologyEdit } from './topology-edit.ts';
import type { TopologyIndex } from './topology-index.ts';
import { isParentBorder, type EdgeId, type Topology } from './topology.ts';

// Which parent units (community, street, district; null for the city's outline) an unlocked edit
// moves the border of. The planner page refuses an unlock it would not be allowed at once; the
// server replaying the plan refuses the same, so both read the rule from here.

function parentsBeside(t: Topology, edge: EdgeId): (UnitId | null)[] {
  const e = t.edges.get(edge);
  if (!e) return [];
  return [e.left, e.right].map((g) => (g === null ? null : (t.faces.get(g)?.parentId ?? null)));
}

/**
 * The parents whose border an unlocked edit moves, read before the edit: a node move every
 * parent border that ends at the node, a point edit or redraw the one edge's, a merge both
 * grids' parents. A split never moves one; a cut-out's are the parents of the grids it touched
 * (read after it, see parentsJoined). Empty for an edit that is not unlocked.
 */
export function parentsMoved(
  t: Topology,
  ix: Pick<TopologyIndex, 'edgesAt'>,
  edit: TopologyEdit,
): (UnitId | null)[] {
  // An import is held to the importer's jurisdiction by the grids it replaces and makes.
  if (
    edit.type === 'splitGrid' ||
    edit.type === 'cutOut' ||
    edit.type === 'importLayer' ||
    !edit.unlockParents
  )
    return [];
  switch (edit.type) {
    case 'moveNode':
      return ix
        .edgesAt(edit.node)
        .filter((e) => isParentBorder(t, e))
        .flatMap((e) => parentsBeside(t, e));
    case 'moveVertex':
    case 'addVertex':
    case 'deleteVertex':
    case 'reshapeEdge':
      return isParentBorder(t, edit.edge) ? parentsBeside(t, edit.edge) : [];
    case 'mergeGrids': {
      const into = t.faces.get(edit.into);
      const from = t.faces.get(edit.from);
      if (!into || !from || into.parentId === from.parentId) return [];
      return [into.parentId, from.parentId];
    }
  }
}

/**
 * The parents an unlocked cut-out joins pieces of into its new grid (read after it, from the
 * grids it touched and the parent each had): empty when they all had one parent.
 */
export function parentsJoined(
  parentOf: (g: GridId) => UnitId | null,
  touched: readonly GridId[],
): (UnitId | null)[] {
  const parents = [...new Set(touched.map(parentOf))];
  return parents.length > 1 ? parents : [];
}

/**
 * Whether edits can move a parent border at all: only an unlocked edit or an import can (every
 * other edit keeps parent borders locked by construction), so a publish without one has no unit
 * outline to compare.
 */
export function mayMoveParents(edits: readonly TopologyEdit[]): boolean {
  return edits.some((e) => e.type === 'importLayer' || ('unlockParents' in e && e.unlockParents === true));
}
