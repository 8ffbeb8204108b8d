import fc from 'fast-check';
import { PositionSchema } from '@gcc/shared';
import { describe, expect, it } from 'vitest';
import { limitsAt, parsePositionBatch, PositionInputError } from './position-input.ts';

// Device ingest checks fixes with a hand-written loop (the hot path); PositionSchema is the one
// definition of a fix. For any fix whose time lies inside the ingest window (the schema has no
// clock), both must accept the same fixes and produce the same value.

const NOW = 1_764_900_000_000;
const limits = limitsAt(NOW);

const anyValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(undefined, null, '', '1', true, Infinity, -Infinity, NaN, 2 ** 31, 2 ** 53),
);
// Mostly near the valid range (so both sides get past the other fields), sometimes anything.
const nearly = (lo: number, hi: number) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.double({ min: lo - (hi - lo) * 0.2, max: hi + (hi - lo) * 0.2, noNaN: true }),
    },
    { weight: 1, arbitrary: anyValue },
  );

const fix = fc.record(
  {
    workerId: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 2 ** 31 + 5 }) },
      { weight: 1, arbitrary: anyValue },
    ),
    lng: nearly(-180, 180),
    lat: nearly(-90, 90),
    at: fc.integer({ min: NOW - 3_600_000, max: NOW }),
    speed: nearly(0, 70),
    heading: nearly(0, 360),
    accuracy: nearly(0, 10_000),
  },
  { requiredKeys: ['workerId', 'lng', 'lat', 'at'] },
);

describe('device ingest and PositionSchema', () => {
  it('accept the same fixes and produce the same values', () => {
    fc.assert(
      fc.property(fix, (raw) => {
        const schema = PositionSchema.safeParse(raw);
        let ingest: unknown = null;
        try {
          ingest = parsePositionBatch([raw], null, 10, limits)[0];
        } catch (e) {
          if (!(e instanceof PositionInputError)) throw e;
        }
        expect(ingest !== null, JSON.stringify(raw)).toBe(schema.success);
        if (schema.success) expect(ingest).toEqual(schema.data);
      }),
      { numRuns: 3000 },
    );
  });
});
