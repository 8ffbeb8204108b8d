import type { Db } from '../db/connect.ts';
import { roads, units, water } from '../db/schema.ts';
import { eq } from 'drizzle-orm';

// The offline base map: a MapLibre style whose sources are GeoJSON documents drawn from the
// generated city (water, roads, district and street boundaries). No tile or glyph request
// leaves the machine; labels are drawn by deck.gl's TextLayer from a local font.

export interface Basemap {
  style: Record<string, unknown>;
  sources: Record<string, string>;
}

/** Builds the style and serialises each source once at start (served as static JSON). */
export async function buildBasemap(db: Db, bbox: [number, number, number, number]): Promise<Basemap> {
  const roadRows = await db.select().from(roads);
  const waterRows = await db.select().from(water);
  const districtRows = await db
    .select({ code: units.code, name: units.name, polygon: units.polygon })
    .from(units)
    .where(eq(units.level, 'district'));
  const streetRows = await db
    .select({ code: units.code, name: units.name, polygon: units.polygon })
    .from(units)
    .where(eq(units.level, 'street'));
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const sources = {
    roads: fc(
      roadRows.map((r) => ({
        type: 'Feature',
        properties: { class: r.class, name: r.name },
        geometry: { type: 'LineString', coordinates: r.coords },
      })),
    ),
    water: fc(
      waterRows.map((w) => ({
        type: 'Feature',
        properties: { name: w.name, kind: w.kind },
        geometry: { type: 'MultiPolygon', coordinates: w.polygon },
      })),
    ),
    districts: fc(
      districtRows.map((d) => ({
        type: 'Feature',
        properties: { code: d.code, name: d.name },
        geometry: { type: 'MultiPolygon', coordinates: d.polygon },
      })),
    ),
    streets: fc(
      streetRows.map((d) => ({
        type: 'Feature',
        properties: { code: d.code, name: d.name },
        geometry: { type: 'MultiPolygon', coordinates: d.polygon },
      })),
    ),
  };
  const src = (name: string) => ({ type: 'geojson', data: `/basemap/${name}.geojson` });
  const style = {
    version: 8,
    name: 'gcc-offline-dark',
    center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    zoom: 10,
    sources: {
      roads: src('roads'),
      water: src('water'),
      districts: src('districts'),
      streets: src('streets'),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#0b1526' } },
      {
        id: 'district-fill',
        type: 'fill',
        source: 'districts',
        paint: { 'fill-color': '#0f1f36', 'fill-opacity': 1 },
      },
      { id: 'water', type: 'fill', source: 'water', paint: { 'fill-color': '#12375c', 'fill-opacity': 0.9 } },
      {
        id: 'roads-minor',
        type: 'line',
        source: 'roads',
        filter: ['in', ['get', 'class'], ['literal', ['street', 'rural']]],
        minzoom: 11,
        paint: {
          'line-color': '#1f3350',
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 16, 3],
        },
      },
      {
        id: 'roads-secondary',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'class'], 'secondary'],
        paint: {
          'line-color': '#2a4668',
          'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 16, 5],
        },
      },
      {
        id: 'roads-primary',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'class'], 'primary'],
        paint: { 'line-color': '#3a6090', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 16, 8] },
      },
      {
        id: 'street-lines',
        type: 'line',
        source: 'streets',
        paint: { 'line-color': '#3d5a80', 'line-width': 0.8, 'line-dasharray': [2, 2] },
      },
      {
        id: 'district-lines',
        type: 'line',
        source: 'districts',
        paint: { 'line-color': '#5fa8d3', 'line-width': 1.6 },
      },
    ],
  };
  return { style, sources };
}
