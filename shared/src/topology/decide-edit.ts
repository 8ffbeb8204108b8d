import { decideCutOut } from './cut-out.ts';
import { decideImportLayer } from './import-layer.ts';
import {
  decideEdgeShape,
  decideMergeGrids,
  decideMoveNode,
  decideSplitGrid,
} from './internal/decide-steps.ts';
import type { EditDecision, TopologyEdit } from './topology-edit.ts';
import { scanIndex, type TopologyIndex } from './topology-index.ts';
import type { Topology } from './topology.ts';

/** Decides an edit; a refusal says why and where, and changes nothing. */
export function decideEdit(t: Topology, edit: TopologyEdit, ix: TopologyIndex = scanIndex(t)): EditDecision {
  switch (edit.type) {
    case 'moveNode':
      return decideMoveNode(t, ix, edit);
    case 'moveVertex':
    case 'addVertex':
    case 'deleteVertex':
    case 'reshapeEdge':
      return decideEdgeShape(t, ix, edit);
    case 'mergeGrids':
      return decideMergeGrids(t, ix, edit);
    case 'splitGrid':
      return decideSplitGrid(t, ix, edit);
    case 'cutOut':
      return decideCutOut(t, ix, edit);
    case 'importLayer':
      return decideImportLayer(t, edit);
  }
}
