import { generateCity } from '@gcc/data';
import type { GridId, WorkerId } from '@gcc/shared';
import { booleanPointInPolygon, multiPolygon } from '@turf/turf';
import { decodeMultiPolygon } from '@gcc/shared/geo';
import { decodeTopology, PROVISIONAL_GRID_ID_MIN, type TopologyEdit } from '@gcc/shared/topology';
import { gridId } from '@gcc/shared/testing';
import { cutAcross } from '../support/plan-edits.ts';
import { startServerProcess } from '../support/server-process.ts';
import { pct, report } from './report.ts';

// `swap_ms`: a boundary version swapped in on a server taking 40,000 workers' positions at 1 Hz
// (the stress city, every worker a fix a second, through POST /api/positions in gateway batches
// of 500). A planner publishes a plan that splits 10 grids in the middle of it; the server builds
// the next GridIndex and the workers' home grids and swaps them in one tick. The figure is the
// swap as the server logs it (the next state built, every part's commit); beside it, the publish
// as the planner waits for it, the batches answered late while the swap ran, and the count that
// matters: every fix sent answered accepted (none lost), and after the swap every worker located
// on the new version's grids exactly where turf's point-in-polygon over `grids.layer` puts it
// (none mis-assigned). Baseline: the same server's 1 Hz batches in the seconds before the publish
// (their p99 answer time).

const PROFILE = 'stress';
const BATCH = 500;
const SPLITS = 10;
/** Seconds of load before the publish and after it. */
const BEFORE_S = Number(process.env.BENCH_SECONDS ?? 8);
const AFTER_S = 6;

const progress = (what: string) => process.stderr.write(`swap: ${what}\n`);

export async function run(): Promise<void> {
  const city = generateCity({ profile: PROFILE, historyDays: 0 });
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const workers = city.staff.map((s) => ({ id: s.id as WorkerId, lng: s.home[0], lat: s.home[1] }));
  let swapLog: { ms: number; to: number } | null = null;
  // Its own data folder: each run publishes a version, which the other benchmarks' city must not get.
  const server = await startServerProcess({
    profile: PROFILE,
    dataDirName: 'bench-stress-swap',
    env: { LOG_LEVEL: 'info' },
    onStdout: (line) => {
      if (!line.includes('boundary version swapped')) return;
      const j = JSON.parse(line) as { ms: number; to: number };
      swapLog = { ms: j.ms, to: j.to };
    },
  });
  progress('server up');
  try {
    const { token } = await server.admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'gateway',
      label: 'swap bench',
    });

    // The plan: ten grids spread over the city, each cut north–south.
    const baseline = await server.admin.trpc.plans.baseline.query();
    const topo = decodeTopology(baseline.topology);
    const ids = baseline.grids.ids as GridId[];
    const edits: TopologyEdit[] = [];
    const step = Math.floor(ids.length / (SPLITS + 1));
    for (let i = step; edits.length < SPLITS && i < ids.length; i += step) {
      const edit = cutAcross(topo, ids[i]!, gridId(PROVISIONAL_GRID_ID_MIN + edits.length + 1));
      if (edit) edits.push(edit);
    }
    const plan = await server.admin.trpc.plans.create.mutate({ name: '切换压力测试' });
    const saved = await server.admin.trpc.plans.save.mutate({
      id: plan.id,
      revision: plan.revision,
      edits,
      cursor: edits.length,
    });

    // 40,000 workers at 1 Hz: each second every worker sends a fix near its home (±50 m), in
    // batches of 500 spread over the second.
    const sent = { fixes: 0, accepted: 0, stale: 0, unknown: 0, outOfScope: 0, failed: 0 };
    const answers: { at: number; ms: number }[] = [];
    let stop = false;
    let stamp = Date.now();
    const batches = Math.ceil(workers.length / BATCH);
    const loop = (async () => {
      let tick = 0;
      const inflight = new Set<Promise<void>>();
      while (!stop) {
        const t0 = Date.now();
        for (let b = 0; b < batches && !stop; b++) {
          const at = (stamp = Math.max(Date.now(), stamp + 1));
          const body = JSON.stringify(
            workers.slice(b * BATCH, (b + 1) * BATCH).map((w) => ({
              workerId: w.id,
              lng: +(w.lng + (rnd() - 0.5) * 0.001).toFixed(6),
              lat: +(w.lat + (rnd() - 0.5) * 0.001).toFixed(6),
              speed: 1.2,
              heading: 90,
              accuracy: 8,
              at,
            })),
          );
          const n = Math.min(BATCH, workers.length - b * BATCH);
          sent.fixes += n;
          const started = performance.now();
          const p = fetch(`${server.url}/api/positions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          })
            .then(async (res) => {
              if (!res.ok) {
                sent.failed += n;
                return;
              }
              const r = (await res.json()) as {
                accepted: number;
                stale: number;
                unknown: number;
                outOfScope: number;
              };
              sent.accepted += r.accepted;
              sent.stale += r.stale;
              sent.unknown += r.unknown;
              sent.outOfScope += r.outOfScope;
              answers.push({ at: Date.now(), ms: performance.now() - started });
            })
            .catch(() => {
              sent.failed += n;
            })
            .finally(() => inflight.delete(p));
          inflight.add(p);
          // Spread the batches over the second.
          const due = t0 + ((b + 1) * 1000) / batches;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        tick++;
      }
      await Promise.all(inflight);
      return tick;
    })();

    await new Promise((r) => setTimeout(r, BEFORE_S * 1000));
    progress(`publishing (${edits.length} splits) under load`);
    const t0 = Date.now();
    const published = await server.admin.trpc.plans.publish.mutate({
      planId: saved.id,
      revision: saved.revision,
    });
    const publishMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, AFTER_S * 1000));
    stop = true;
    const seconds = await loop;
    progress(`load stopped after ${seconds} rounds`);

    // Every worker where turf (not the server's GridIndex) puts its last fix among the new layer's grids.
    const layer = await server.admin.trpc.grids.layer.query();
    const shapes = layer.ids.map((id, i) => {
      const polygon = decodeMultiPolygon(layer.polygons[i]!);
      const xs = polygon.flatMap((p) => p[0]!.map((q) => q[0]!));
      const ys = polygon.flatMap((p) => p[0]!.map((q) => q[1]!));
      return {
        id,
        box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
        feature: multiPolygon(polygon),
      };
    });
    const locate = (lng: number, lat: number) =>
      shapes.find(
        (g) =>
          lng >= g.box[0]! &&
          lng <= g.box[2]! &&
          lat >= g.box[1]! &&
          lat <= g.box[3]! &&
          booleanPointInPolygon([lng, lat], g.feature),
      )?.id ?? null;
    const snapshot = await server.admin.trpc.workers.snapshot.query();
    const away = await server.admin.trpc.workers.away.query();
    const current = new Map<number, number | null>(away.workers.map((w) => [w.workerId, w.currentGridId]));
    const retired = new Set<number>();
    const live = new Set<number>(layer.ids);
    let misassigned = 0;
    let located = 0;
    for (const w of snapshot.workers) {
      if (w.lng === null || w.lat === null || w.duty === 'off') continue;
      located++;
      const want = locate(w.lng, w.lat);
      // Inside its home grid unless listed away; listed away with the grid it is in.
      const got = current.has(w.id) ? current.get(w.id)! : w.gridId;
      if (got !== null && !live.has(got)) retired.add(got);
      if (got !== want) misassigned++;
    }
    const before = answers.filter((a) => a.at < t0).map((a) => a.ms);
    const during = answers.filter((a) => a.at >= t0 && a.at <= t0 + publishMs + 1000).map((a) => a.ms);
    const swap = swapLog as { ms: number; to: number } | null;
    if (!swap || swap.to !== published.version)
      throw new Error(`the server logged no swap to version ${published.version}`);
    // A figure from a swap that lost or mis-placed positions is no figure.
    const lost = sent.fixes - sent.accepted - sent.stale - sent.unknown - sent.outOfScope;
    if (lost > 0 || sent.failed > 0 || misassigned > 0 || retired.size > 0)
      throw new Error(
        `swap lost ${lost} fixes (${sent.failed} in failed requests), misassigned ${misassigned} workers, ${retired.size} on retired grids`,
      );
    report({
      bench: 'publish',
      metric: 'swap_ms',
      value: swap.ms,
      unit: 'ms',
      baseline: pct(before, 99),
      baselineName: 'p99 answer to a 500-fix batch before the publish',
      version: published.version,
      publishMs,
      answerP99DuringMs: Math.round(pct(during, 99)),
      fixesSent: sent.fixes,
      accepted: sent.accepted,
      // A fix answered stale was overtaken by the same worker's newer one (batches answered out
      // of order under load: newest wins); lost is what no answer accounts for.
      stale: sent.stale,
      unknown: sent.unknown,
      outOfScope: sent.outOfScope,
      lost,
      fixesInFailedRequests: sent.failed,
      workersLocated: located,
      misassigned,
      onRetiredGrids: retired.size,
      rate: Math.round(sent.fixes / (BEFORE_S + AFTER_S + publishMs / 1000)),
    });
  } finally {
    await server.stop();
  }
}
