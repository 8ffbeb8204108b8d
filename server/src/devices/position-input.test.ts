import { workerId as wid } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  limitsAt,
  parseOsmandJson,
  parseOsmandQuery,
  parsePositionBatch,
  PositionInputError,
} from './position-input.ts';

const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const limits = limitsAt(NOW);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof PositionInputError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('device position input', () => {
  it('reads OsmAnd time as seconds, milliseconds or ISO 8601, and defaults to now', () => {
    const base = { id: 'gcc-x', lat: '28.97', lon: '118.87' };
    expect(parseOsmandQuery({ ...base, timestamp: String(NOW / 1000) }, limits).at).toBe(NOW);
    expect(parseOsmandQuery({ ...base, timestamp: String(NOW) }, limits).at).toBe(NOW);
    expect(parseOsmandQuery({ ...base, timestamp: new Date(NOW).toISOString() }, limits).at).toBe(NOW);
    expect(parseOsmandQuery(base, limits).at).toBe(NOW);
    expect(code(() => parseOsmandQuery({ ...base, timestamp: 'yesterday' }, limits))).toBe('bad-time');
  });

  it('converts knots, accepts location=lat,lon, and keeps the battery level', () => {
    const r = parseOsmandQuery(
      { id: 'gcc-x', location: '28.97,118.87', speed: '10', bearing: '270', batt: '55' },
      limits,
    );
    expect([r.lat, r.lng]).toEqual([28.97, 118.87]);
    expect(r.speed).toBeCloseTo(5.14444, 4);
    expect(r.heading).toBe(270);
    expect(r.battery).toBe(55);
  });

  it('refuses what a phone cannot have measured', () => {
    const base = { id: 'gcc-x', lat: '28.97', lon: '118.87' };
    expect(code(() => parseOsmandQuery({ ...base, lat: '91' }, limits))).toBe('bad-lat');
    expect(code(() => parseOsmandQuery({ ...base, lon: 'abc' }, limits))).toBe('bad-lng');
    expect(code(() => parseOsmandQuery({ ...base, speed: '1000' }, limits))).toBe('bad-speed');
    expect(code(() => parseOsmandQuery({ ...base, timestamp: String(NOW + 60_000) }, limits))).toBe('future');
    expect(code(() => parseOsmandQuery({ ...base, timestamp: String(NOW - 40 * 86_400_000) }, limits))).toBe(
      'too-old',
    );
    expect(code(() => parseOsmandQuery({ lat: '28.97', lon: '118.87' }, limits))).toBe('missing-id');
  });

  it('reads the JSON form, treating −1 speed and heading as unknown', () => {
    const r = parseOsmandJson(
      {
        device_id: 'gcc-x',
        location: {
          timestamp: new Date(NOW).toISOString(),
          coords: { latitude: 28.9, longitude: 118.8, speed: -1, heading: -1, accuracy: 12 },
          battery: { level: 0.42 },
        },
      },
      limits,
    );
    expect(r).toMatchObject({
      deviceId: 'gcc-x',
      lat: 28.9,
      lng: 118.8,
      at: NOW,
      speed: 0,
      heading: 0,
      accuracy: 12,
      battery: 42,
    });
    expect(code(() => parseOsmandJson({ device_id: 'gcc-x', location: {} }, limits))).toBe('not-object');
    expect(code(() => parseOsmandJson([], limits))).toBe('not-object');
  });

  it('binds a device token to its worker and makes a gateway name each worker', () => {
    const fix = { lng: 118.8, lat: 28.9, at: NOW };
    expect(parsePositionBatch([fix], wid(7), 10, limits)[0]!.workerId).toBe(7);
    expect(code(() => parsePositionBatch([{ ...fix, workerId: 8 }], wid(7), 10, limits))).toBe('bad-worker');
    expect(code(() => parsePositionBatch([fix], null, 10, limits))).toBe('bad-worker');
    expect(code(() => parsePositionBatch([fix, fix], wid(7), 1, limits))).toBe('too-many');
    expect(code(() => parsePositionBatch([{ ...fix, heading: 400 }], wid(7), 10, limits))).toBe(
      'bad-heading',
    );
    expect(code(() => parsePositionBatch([{ ...fix, accuracy: -1 }], wid(7), 10, limits))).toBe(
      'bad-accuracy',
    );
  });
});
