import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ImportReport } from '@gcc/shared/boundary-io';
import { encodeTopology, EditSession, type TopologyEdit } from '@gcc/shared/topology';
import { auditLog, plans } from '../../server/src/db/schema.ts';
import { planBaseline } from '../../server/src/plans/baseline.ts';
import { sessionClient, type Client } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';
import { addUser } from '../support/test-users.ts';

// Boundary files in and out through the real API, on PGlite and PostgreSQL: the version exported
// (GeoJSON, WGS-84 or GCJ-02) imports back as the same topology into a plan; real Quzhou district
// outlines in GCJ-02 import as a parent level (converted on the points, so shared borders stay
// shared); deliberately broken files are refused with their reasons and places, or fixed and
// listed, and a refusal stores nothing (no plan, nothing but its audit row).

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
const QUZHOU = new URL('../../../shared/data/quzhou/districts_gcj02.geojson', import.meta.url);

type Feature = {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: 'MultiPolygon' | 'Polygon'; coordinates: unknown };
};
type Collection = { type: 'FeatureCollection'; features: Feature[] };
const copy = <T>(v: T): T => structuredClone(v);

describe.each(kinds)('boundary import and export on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Client;
  let planner: Client;
  let exported: Collection;

  const store = () => server.services.database.db;
  const planCount = async () => (await store().select({ id: plans.id }).from(plans)).length;
  const importAs = (
    who: Client,
    file: unknown,
    extra: Partial<Parameters<Client['trpc']['boundaries']['import']['mutate']>[0]> = {},
  ) =>
    who.trpc.boundaries.import.mutate({
      name: '导入测试',
      level: 'grids',
      crs: 'wgs84',
      toleranceM: 0.5,
      file,
      ...extra,
    });
  const reasons = (r: ImportReport, severity: 'error' | 'fixed' | 'warning') =>
    [...new Set(r.problems.filter((p) => p.severity === severity).map((p) => p.reason))].sort();

  /** A refused import: its error reasons, and nothing stored. */
  const refused = async (file: unknown, extra = {}) => {
    const before = await planCount();
    const report = await importAs(admin, file, extra);
    expect(report.ok).toBe(false);
    expect(report.planId).toBeNull();
    expect(await planCount()).toBe(before);
    const wholeFile = ['not-geojson', 'no-features', 'too-many-features', 'too-many-points'];
    for (const p of report.problems.filter((q) => q.severity === 'error' && !wholeFile.includes(q.reason)))
      expect(p.at, `${p.reason} has a place`).not.toBeNull();
    return report;
  };

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    [admin, planner] = await Promise.all([
      sessionClient(server, 'admin', 'admin123'),
      sessionClient(server, 'planner', 'plan123'),
    ]);
    exported = (await admin.trpc.boundaries.export.query({ format: 'geojson', crs: 'wgs84' })) as Collection;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exports the version in force with codes, names, parents and households', () => {
    const b = server.services.boundary();
    expect(exported.features).toHaveLength(b.grids.length);
    const byCode = new Map(b.grids.map((g) => [g.code, g]));
    for (const f of exported.features) {
      const g = byCode.get(String(f.properties!['code']))!;
      expect(f.properties).toMatchObject({
        name: g.name,
        parentCode: b.unitById.get(g.communityId)!.code,
        households: g.households,
      });
      expect(f.geometry.type).toBe('MultiPolygon');
    }
  });

  it('export then import gives back the same topology, in a new plan', async () => {
    const report = await importAs(admin, exported, { name: '原样导入' });
    expect(report.ok).toBe(true);
    expect(report.errors).toBe(0);
    expect(report.grids).toEqual({ reshaped: 0, unchanged: exported.features.length, added: 0, retired: 0 });
    expect(report.planId).not.toBeNull();
    const plan = await admin.trpc.plans.get.query({ id: report.planId! });
    expect(plan.edits).toHaveLength(1);
    expect(plan.edits[0]!.type).toBe('importLayer');
    const baseline = (await planBaseline(server.services.boundary())).topology;
    const replayed = EditSession.replay(baseline, { edits: plan.edits as TopologyEdit[], cursor: 1 });
    expect(replayed.ok).toBe(true);
    if (!replayed.ok) return;
    expect(encodeTopology(replayed.session.topology)).toEqual(encodeTopology(baseline));
  });

  it('a GCJ-02 export imports back as GCJ-02: same nodes and edges, points within 2 cm', async () => {
    const gcj = (await admin.trpc.boundaries.export.query({ format: 'geojson', crs: 'gcj02' })) as Collection;
    // The shift is real (hundreds of metres), not the identity.
    const a = (exported.features[0]!.geometry.coordinates as number[][][][])[0]![0]![0]!;
    const b = (gcj.features[0]!.geometry.coordinates as number[][][][])[0]![0]![0]!;
    expect(Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!)).toBeGreaterThan(0.001);
    const report = await importAs(admin, gcj, { crs: 'gcj02', dryRun: true });
    expect(report.ok).toBe(true);
    const baseline = (await planBaseline(server.services.boundary())).topology;
    expect(report.counts.nodes).toBe(baseline.nodes.size);
    expect(report.counts.edges).toBe(baseline.edges.size);
    expect(report.planId).toBeNull();
  });

  it('TopoJSON: one arc per shared border, every grid with its attributes', async () => {
    const topo = (await admin.trpc.boundaries.export.query({ format: 'topojson', crs: 'wgs84' })) as {
      type: string;
      arcs: unknown[];
      objects: { grids: { geometries: { properties: { code: string } }[] } };
    };
    const baseline = (await planBaseline(server.services.boundary())).topology;
    expect(topo.type).toBe('Topology');
    expect(topo.arcs).toHaveLength(baseline.edges.size);
    expect(topo.objects.grids.geometries).toHaveLength(baseline.faces.size);
  });

  it('real Quzhou districts in GCJ-02 import as a parent level: shared borders stay shared, windings turned', async () => {
    const file = JSON.parse(readFileSync(QUZHOU, 'utf8')) as Collection;
    const before = await planCount();
    const report = await importAs(admin, file, { level: 'parents', crs: 'gcj02', toleranceM: 1 });
    expect(report.counts.features).toBe(6);
    // Six districts meeting at shared borders: 15 borders between 10 nodes, no gap, no overlap.
    expect(report.counts.edges).toBe(15);
    expect(report.counts.nodes).toBe(10);
    expect(report.byReason['wrong-winding']).toBe(6);
    expect(report.byReason.gap ?? 0).toBe(0);
    expect(report.byReason.overlap ?? 0).toBe(0);
    // The grids of the version are checked against the districts; anything across a district border is listed with its place.
    for (const p of report.problems.filter((q) => q.severity === 'error')) {
      expect(p.reason).toBe('outside-parent');
      expect(p.at).not.toBeNull();
      expect(p.code).toMatch(/^\d{15}$/);
    }
    expect(report.planId).toBeNull();
    expect(await planCount()).toBe(before);
  });

  it('broken files are refused with their reasons, and nothing is stored', async () => {
    expect(reasons(await refused({ type: 'Topology' }), 'error')).toEqual(['not-geojson']);
    expect(reasons(await refused([]), 'error')).toEqual(['no-features']);

    const unclosed = copy(exported);
    (unclosed.features[0]!.geometry.coordinates as number[][][][])[0]![0]!.pop();
    expect(reasons(await refused(unclosed), 'error')).toContain('unclosed-ring');

    // A bow tie: the ring crosses itself.
    const bowtie = copy(exported);
    const ring = (bowtie.features[1]!.geometry.coordinates as number[][][][])[0]![0]!;
    [ring[1], ring[2]] = [ring[2]!, ring[1]!];
    expect(reasons(await refused(bowtie), 'error')).toContain('self-intersection');

    const dupCode = copy(exported);
    dupCode.features[1]!.properties!['code'] = dupCode.features[0]!.properties!['code'];
    expect(reasons(await refused(dupCode), 'error')).toEqual(['duplicate-code']);

    const twoCodesOneShape = copy(exported);
    twoCodesOneShape.features.push({
      ...copy(exported.features[0]!),
      properties: { code: '330802999999999' },
    });
    expect(reasons(await refused(twoCodesOneShape), 'error')).toContain('duplicate-feature');

    const bad = copy(exported);
    (bad.features[2]!.geometry.coordinates as number[][][][])[0]![0]![1] = [200, 95];
    expect(reasons(await refused(bad), 'error')).toEqual(['bad-coordinate']);

    const point = copy(exported);
    point.features[0]!.geometry = { type: 'Point' as 'Polygon', coordinates: [118.8, 28.9] };
    expect(reasons(await refused(point), 'error')).toEqual(['not-polygon']);
  });

  it('a grid moved 30 m onto its neighbours is refused as an overlap, with the two grids and the place', async () => {
    const moved = copy(exported);
    const shift = 30 / 111_320;
    const f = moved.features[3]!;
    f.geometry.coordinates = (f.geometry.coordinates as number[][][][]).map((poly) =>
      poly.map((ring) => ring.map(([x, y]) => [x! + shift, y!])),
    );
    const report = await refused(moved, { toleranceM: 1 });
    expect(reasons(report, 'error')).toEqual(expect.arrayContaining(['overlap']));
    const overlap = report.problems.find((p) => p.reason === 'overlap')!;
    expect([overlap.feature, overlap.other]).toContain(3);
  });

  it('gaps and overlaps within the tolerance are snapped, listed and imported', async () => {
    const nudged = copy(exported);
    // Every point of one grid 0.4 m east: a seam with each neighbour, inside a 1 m tolerance.
    const shift = 0.4 / 111_320;
    const f = nudged.features[5]!;
    f.geometry.coordinates = (f.geometry.coordinates as number[][][][]).map((poly) =>
      poly.map((ring) => ring.map(([x, y]) => [x! + shift, y!])),
    );
    const strict = await refused(nudged, { toleranceM: 0 });
    expect(reasons(strict, 'error').length).toBeGreaterThan(0);
    const report = await importAs(admin, nudged, { toleranceM: 1, dryRun: true });
    expect(report.ok).toBe(true);
    expect(report.byReason.snapped).toBeGreaterThan(0);
    expect(report.counts.snapped).toBeGreaterThan(0);
    const snapped = report.problems.find((p) => p.reason === 'snapped')!;
    expect(snapped.metres).toBeLessThanOrEqual(1);
    expect(snapped.at).not.toBeNull();
  });

  it('wrong winding and repeated records are fixed with a warning; a missing code is a new grid', async () => {
    const file = copy(exported);
    const ring = (file.features[0]!.geometry.coordinates as number[][][][])[0]![0]!;
    ring.reverse();
    file.features.push(copy(file.features[1]!));
    delete file.features[2]!.properties!['code'];
    const report = await importAs(admin, file, { dryRun: true });
    expect(report.ok).toBe(true);
    expect(reasons(report, 'fixed')).toEqual(['duplicate-feature', 'wrong-winding']);
    expect(reasons(report, 'warning')).toEqual(['missing-code']);
    expect(report.grids).toMatchObject({ added: 1, retired: 1 });
  });

  it('a bare array of features (as DataV publishes) reads like a FeatureCollection', async () => {
    const report = await importAs(admin, exported.features, { dryRun: true });
    expect(report.ok).toBe(true);
    expect(report.counts.features).toBe(exported.features.length);
  });

  it('a grid placed under a community it lies outside is refused there', async () => {
    const file = copy(exported);
    const b = server.services.boundary();
    const first = String(file.features[0]!.properties!['parentCode']);
    const other = b.units.find((u) => u.level === 'community' && u.code !== first)!;
    file.features[0]!.properties!['parentCode'] = other.code;
    const report = await refused(file);
    expect(reasons(report, 'error')).toEqual(['outside-parent']);
    expect(report.problems[0]!.feature).toBe(0);
  });

  it('jurisdiction: a community planner cannot import the city; a wall cannot import at all', async () => {
    const b = server.services.boundary();
    const community = b.units.find((u) => u.level === 'community')!;
    const local = await addUser(server, 'io-community-planner', 'planner', community.id);
    const before = await planCount();
    const report = await importAs(local, exported);
    expect(report.ok).toBe(false);
    expect(reasons(report, 'error')).toContain('outside-jurisdiction');
    const wall = await sessionClient(server, 'wall', 'wall123');
    await expect(importAs(wall, exported)).rejects.toThrow();
    expect(await planCount()).toBe(before);
    // Each try is in the audit log, without the file itself.
    const rows = (await store().select().from(auditLog)).filter((r) => r.action === 'boundaries.import');
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows.at(-1)!.input).length).toBeLessThan(1000);
  });

  it('large files over HTTP: progress streamed as NDJSON, then the report; export as a download', async () => {
    const res = await planner.fetch(
      `${server.url}/api/boundaries/import?name=${encodeURIComponent('HTTP 导入')}&level=grids&crs=wgs84&toleranceM=0.5&dryRun=true`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
        body: JSON.stringify(exported),
      },
    );
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'progress' in l).length).toBeGreaterThan(2);
    const last = lines.at(-1) as { report: ImportReport };
    expect(last.report.ok).toBe(true);
    const noCsrf = await planner.fetch(
      `${server.url}/api/boundaries/import?name=x&level=grids&crs=wgs84&toleranceM=0`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exported),
      },
    );
    expect(noCsrf.status).toBe(403);
    const down = await planner.fetch(`${server.url}/api/boundaries/export?format=topojson&crs=gcj02`);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-disposition')).toMatch(
      /attachment; filename="boundary-v1-gcj02\.topojson"/,
    );
    const missing = await planner.fetch(
      `${server.url}/api/boundaries/export?format=geojson&crs=wgs84&version=99`,
    );
    expect(missing.status).toBe(404);
  });

  it('the command line exports a version and imports it back (pnpm boundary)', async () => {
    const run = promisify(execFile);
    const cli = (args: string[]) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'scripts/boundary.ts', ...args, '--url', server.url, '--user', 'admin'],
        {
          cwd: new URL('../..', import.meta.url).pathname,
          env: { ...process.env, BOUNDARY_PASSWORD: 'admin123' },
        },
      );
    const out = join(mkdtempSync(join(tmpdir(), 'gcc-boundary-')), 'v1.geojson');
    await cli(['export', '--crs', 'gcj02', '--out', out]);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Collection;
    expect(written.features).toHaveLength(exported.features.length);
    const before = await planCount();
    const { stdout, stderr } = await cli([
      'import',
      out,
      '--crs',
      'gcj02',
      '--tolerance',
      '0.5',
      '--dry-run',
    ]);
    const report = JSON.parse(stdout) as ImportReport;
    expect(report.ok).toBe(true);
    expect(report.counts.kept).toBe(exported.features.length);
    expect(stderr).toMatch(/parents 80%\nplan 85%/);
    expect(await planCount()).toBe(before);
  });
});
