import { eq } from 'drizzle-orm';
import type { BoundaryVersion, GridId, UnitId } from '@gcc/shared';
import { layerGeoJson, layerTopoJson, type ExportAttributes, type ImportCrs } from '@gcc/shared/boundary-io';
import type { EdgeId, NodeId, TopoEdge, TopoFace, TopoNode, Topology } from '@gcc/shared/topology';
import { boundaryVersions } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { planBaseline } from '../../plans/baseline.ts';
import { Boundary } from '../../spatial/boundary.ts';

// Any boundary version out as GeoJSON or TopoJSON, in WGS-84 or GCJ-02, cut to the reader's
// jurisdiction (属地): each grid with its code, name, community (code and name), households and
// residents. Shapes come from the version's topology, so what is exported imports back as the
// same topology.

export const EXPORT_FORMATS = ['geojson', 'topojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type BoundaryExportDeps = Pick<Services, 'database' | 'boundary'>;

/** Why an export was refused. */
export class ExportError extends Error {
  constructor(readonly reason: 'not-found') {
    super(`export refused: ${reason}`);
  }
}

/** The faces of `t` that `keep` picks, with the edges and nodes they use. */
function cut(t: Topology, keep: (g: GridId) => boolean): Topology {
  const faces = new Map<GridId, TopoFace>();
  const edges = new Map<EdgeId, TopoEdge>();
  const nodes = new Map<NodeId, TopoNode>();
  for (const f of t.faces.values()) {
    if (!keep(f.id)) continue;
    faces.set(f.id, f);
    for (const ring of f.rings)
      for (const se of ring) {
        const e = t.edges.get(se.edge)!;
        edges.set(e.id, e);
        nodes.set(e.start, t.nodes.get(e.start)!);
        nodes.set(e.end, t.nodes.get(e.end)!);
      }
  }
  return { nodes, edges, faces };
}

export class BoundaryExporter {
  constructor(private readonly deps: BoundaryExportDeps) {}

  /** The version's grids inside `unitId` as a file body (an object to send as JSON). */
  async exportVersion(
    unitId: UnitId,
    request: { version?: BoundaryVersion | undefined; format: ExportFormat; crs: ImportCrs },
  ): Promise<Record<string, unknown>> {
    const inForce = this.deps.boundary();
    const version = request.version ?? inForce.version;
    let boundary = inForce;
    if (version !== inForce.version) {
      const db = this.deps.database.db;
      const [row] = await db
        .select({ note: boundaryVersions.note })
        .from(boundaryVersions)
        .where(eq(boundaryVersions.version, version));
      if (!row) throw new ExportError('not-found');
      boundary = await Boundary.loadVersion(db, version, row.note);
    }
    const { topology } = await planBaseline(boundary);
    const layer = boundary.isRoot(unitId) ? topology : cut(topology, (g) => boundary.gridInUnit(g, unitId));
    const attributes = new Map<GridId, ExportAttributes>();
    for (const g of boundary.grids) {
      if (!layer.faces.has(g.id)) continue;
      const parent = boundary.unitById.get(g.communityId);
      attributes.set(g.id, {
        code: g.code,
        name: g.name,
        parentCode: parent?.code ?? null,
        parentName: parent?.name ?? null,
        households: g.households,
        population: g.population,
      });
    }
    const meta = { version, name: boundary.name };
    return request.format === 'geojson'
      ? layerGeoJson(layer, attributes, request.crs, meta)
      : layerTopoJson(layer, attributes, request.crs, meta);
  }
}
