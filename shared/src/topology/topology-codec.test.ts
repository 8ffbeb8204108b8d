import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { buildTopology } from './topology.ts';
import { decodeTopology, encodeTopology } from './topology-codec.ts';
import { decideEdit } from './decide-edit.ts';
import { applyDiff, PROVISIONAL_GRID_ID_MIN } from './topology-edit.ts';

const square = (x: number, y: number, s = 0.001) => [
  [
    [
      [120 + x * s, 30 + y * s],
      [120 + (x + 1) * s, 30 + y * s],
      [120 + (x + 1) * s, 30 + (y + 1) * s],
      [120 + x * s, 30 + (y + 1) * s],
      [120 + x * s, 30 + y * s],
    ],
  ],
];

describe('the topology on the wire', () => {
  it('decodes to the same records, ids included', () => {
    const { topology } = buildTopology(
      [0, 1, 2, 3].map((i) => ({ id: gridId(i + 1), parentId: unitId(7), polygon: square(i % 2, i >> 1) })),
    );
    const back = decodeTopology(JSON.parse(JSON.stringify(encodeTopology(topology))));
    expect(back).toEqual(topology);
  });

  it('keeps edited records (gaps in ids, inner vertices, new grids) exactly', () => {
    const { topology } = buildTopology(
      [0, 1, 2].map((i) => ({ id: gridId(i + 3), parentId: unitId(7), polygon: square(i, 0, 0.01) })),
    );
    const split = decideEdit(topology, {
      type: 'splitGrid',
      grid: gridId(4),
      line: [
        [120.009, 30.004],
        [120.015, 30.0051],
        [120.021, 30.006],
      ],
      newGrid: gridId(PROVISIONAL_GRID_ID_MIN),
    });
    if (!split.ok) throw new Error(split.reason);
    const after = applyDiff(topology, split.diff);
    expect(decodeTopology(encodeTopology(after))).toEqual(after);
  });
});
