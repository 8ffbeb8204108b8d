import type { RunningServer } from '@gcc/server';

/**
 * With the simulator off, puts every worker on duty at home, as their devices would report, and
 * returns a place a few metres from the first worker's home (a site for test cases).
 */
export function putWorkersOnDuty(server: RunningServer, now = Date.now()): [number, number] {
  const { positions, roster } = server.services;
  positions.ingest(
    roster.map((w) => ({
      workerId: w.id,
      lng: w.homeLng,
      lat: w.homeLat,
      at: now,
      speed: 0,
      heading: 0,
      accuracy: 5,
    })),
  );
  for (const w of roster) positions.setDuty(w.id, 'available');
  const w0 = roster[0]!;
  return [w0.homeLng + 0.0002, w0.homeLat + 0.0001];
}

/**
 * With the simulator off, has the workers' devices say 上岗 (every worker when none is named), so
 * a desk may dispatch to them; no position is reported.
 */
export function sayOnDuty(server: RunningServer, ids = server.services.roster.map((w) => w.id)): void {
  for (const id of ids) server.services.fieldDuty.say(id, 'on');
}
