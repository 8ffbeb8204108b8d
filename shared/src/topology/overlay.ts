import type { GridId } from '../ids.ts';
import type { EdgeId, NodeId, TopoEdge, TopoFace, TopoNode, Topology } from './topology.ts';
import type { RecordsDiff, TopologyDiff } from './topology-edit.ts';

// Layers seen with a few changes on top, without copying them: deciding an edit on a city of
// 40,000 nodes must not cost a copy of the city, and an edit made of steps (a cut-out is splits
// and merges) decides each step on the layer the previous ones left.

const GONE = Symbol('gone');

/** A map with some records replaced, added or removed on top of a base that stays as it is. */
export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  private readonly changes = new Map<K, V | typeof GONE>();

  constructor(private readonly base: ReadonlyMap<K, V>) {}

  set(k: K, v: V): this {
    this.changes.set(k, v);
    return this;
  }

  delete(k: K): void {
    this.changes.set(k, GONE);
  }

  get(k: K): V | undefined {
    const c = this.changes.get(k);
    if (c === GONE) return undefined;
    return c !== undefined ? c : this.base.get(k);
  }

  has(k: K): boolean {
    const c = this.changes.get(k);
    return c === GONE ? false : c !== undefined || this.base.has(k);
  }

  get size(): number {
    let n = this.base.size;
    for (const [k, c] of this.changes) {
      const was = this.base.has(k);
      if (c === GONE && was) n--;
      else if (c !== GONE && !was) n++;
    }
    return n;
  }

  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.base) {
      const c = this.changes.get(k);
      if (c === undefined) yield [k, v];
      else if (c !== GONE) yield [k, c];
    }
    for (const [k, c] of this.changes) if (c !== GONE && !this.base.has(k)) yield [k, c];
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(f: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
}

/** A map seen with one record replaced. */
export function withRecord<K, V extends { id: K }>(base: ReadonlyMap<K, V>, record: V): ReadonlyMap<K, V> {
  return new OverlayMap(base).set(record.id, record);
}

function applyOnto<K, R extends { id: K }>(map: OverlayMap<K, R>, d: RecordsDiff<R>): void {
  for (const r of d.removed) map.delete(r.id);
  for (const [, to] of d.updated) map.set(to.id, to);
  for (const r of d.added) map.set(r.id, r);
}

/** A topology that takes diffs on top of a base without changing it. */
export class OverlayTopology implements Topology {
  readonly nodes: OverlayMap<NodeId, TopoNode>;
  readonly edges: OverlayMap<EdgeId, TopoEdge>;
  readonly faces: OverlayMap<GridId, TopoFace>;

  constructor(base: Topology) {
    this.nodes = new OverlayMap(base.nodes);
    this.edges = new OverlayMap(base.edges);
    this.faces = new OverlayMap(base.faces);
  }

  apply(diff: TopologyDiff): void {
    applyOnto(this.nodes, diff.nodes);
    applyOnto(this.edges, diff.edges);
    applyOnto(this.faces, diff.faces);
  }
}

function squashRecords<K, R extends { id: K }>(parts: readonly RecordsDiff<R>[]): RecordsDiff<R> {
  // Per record: what it was before the first step (null: absent) and after the last.
  const span = new Map<K, { from: R | null; to: R | null }>();
  const touch = (id: K, from: R | null, to: R | null) => {
    const s = span.get(id);
    if (s) s.to = to;
    else span.set(id, { from, to });
  };
  for (const d of parts) {
    for (const r of d.removed) touch(r.id, r, null);
    for (const [from, to] of d.updated) touch(to.id, from, to);
    for (const r of d.added) touch(r.id, null, r);
  }
  const out: RecordsDiff<R> = { added: [], updated: [], removed: [] };
  for (const { from, to } of span.values()) {
    if (from && to) out.updated.push([from, to]);
    else if (from) out.removed.push(from);
    else if (to) out.added.push(to);
  }
  return out;
}

/** One diff doing what the given diffs do one after another (records made and dropped on the way vanish). */
export function squashDiffs(diffs: readonly TopologyDiff[]): TopologyDiff {
  return {
    nodes: squashRecords(diffs.map((d) => d.nodes)),
    edges: squashRecords(diffs.map((d) => d.edges)),
    faces: squashRecords(diffs.map((d) => d.faces)),
  };
}
