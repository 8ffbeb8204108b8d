import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { AddressHit, AddressKind, GridId } from '@gcc/shared';
import { greatCircleM } from '@gcc/shared/geo';

// The gazetteer's search index, in memory like the grid index. Chinese names have no word
// breaks, so the general full-text libraries (they split on spaces) and the Latin fuzzy matchers
// fit them badly; what a 12345 operator types is a part of a name ("人民路2", "金桂小区",
// "府山街道"). Every name is indexed by its characters and its character pairs (bigrams); a query
// takes the shortest posting list of its pairs and keeps the names that contain the whole query.
// Exact names rank first, then names that start with the query, then the rest; shorter first.

/** A place a search can find. A road stands at several points (its vertices, each in its grid). */
export interface GazetteerEntry {
  kind: AddressKind;
  name: string;
  /** The points of the entry, the one to show first first (a road: from its middle outwards). */
  points: readonly { lng: number; lat: number; gridId: GridId }[];
}

/** The area line of a hit: street · community of its grid. */
export type AreaOf = (gridId: GridId) => string;

/** Kinds in the order a tie shows them: units and roads orient, address points are many. */
const KIND_RANK: Record<AddressKind, number> = {
  district: 0,
  street: 1,
  community: 2,
  road: 3,
  place: 4,
  grid: 5,
  address: 6,
};

/** How well a name (normalized) holding the query at `at` matches, lower is better: exact, prefix, inside; then kind; then length. */
export function matchScore(key: string, q: string, at: number, kind: AddressKind): number {
  const place = key.length === q.length ? 0 : at === 0 ? 1 : 2;
  return place * 1e6 + KIND_RANK[kind] * 1e4 + Math.min(key.length, 9999);
}

/** Names with numbers in them in natural order (2号 before 10号). */
export const NATURAL = new Intl.Collator('zh-CN', { numeric: true });

/** How far a clicked point may be from the address named for it. */
const NEAREST_MAX_M = 300;

/** The form a name and a query are compared in: full-width to ASCII (NFKC), lower case, no spaces or punctuation. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

// "人民路25号", "金桂小区3栋", "童村12号": a house or block number on a road, compound or village.
const NUMBERED = /^(.+?)(\d+)(号|栋)$/;

export class AddressIndex {
  private readonly keys: string[];
  private readonly postings = new Map<string, Int32Array>();
  /** Address points by "人民路号" (prefix + suffix) → their numbers and entry ids, for the numbers next to one that does not exist. */
  private readonly numbered = new Map<string, { n: number; id: number }[]>();
  private readonly points: KDBush;
  /** Entry id of each point in `points`. */
  private readonly pointEntry: Int32Array;

  constructor(
    private readonly entries: readonly GazetteerEntry[],
    private readonly areaOf: AreaOf,
  ) {
    this.keys = entries.map((e) => normalizeName(e.name));
    const lists = new Map<string, number[]>();
    const add = (token: string, id: number) => {
      const list = lists.get(token);
      if (!list) lists.set(token, [id]);
      // Ids come in order: a repeat of a token in one name is the list's last id.
      else if (list[list.length - 1] !== id) list.push(id);
    };
    this.keys.forEach((key, id) => {
      const chars = [...key];
      for (let i = 0; i < chars.length; i++) {
        add(chars[i]!, id);
        if (i + 1 < chars.length) add(chars[i]! + chars[i + 1]!, id);
      }
      const m = entries[id]!.kind === 'address' ? NUMBERED.exec(key) : null;
      if (m) {
        const group = `${m[1]}${m[3]}`;
        const list = this.numbered.get(group) ?? [];
        list.push({ n: Number(m[2]), id });
        this.numbered.set(group, list);
      }
    });
    for (const [token, list] of lists) this.postings.set(token, Int32Array.from(list));
    for (const list of this.numbered.values()) list.sort((a, b) => a.n - b.n);

    // Address points for "the nearest address" of a clicked place.
    const ids: number[] = [];
    entries.forEach((e, id) => {
      if (e.kind === 'address' && e.points.length) ids.push(id);
    });
    this.pointEntry = Int32Array.from(ids);
    this.points = new KDBush(Math.max(1, ids.length));
    for (const id of ids) this.points.add(entries[id]!.points[0]!.lng, entries[id]!.points[0]!.lat);
    if (ids.length === 0) this.points.add(0, 0);
    this.points.finish();
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The best `limit` entries whose name contains the query, each at a point `allowed` admits (属地):
   * an entry with no such point is not found at all. A query with a house number that does not
   * exist adds the numbers next to it on the same road (`nearby`).
   */
  search(query: string, allowed: (gridId: GridId) => boolean, limit: number): AddressHit[] {
    const q = normalizeName(query);
    if (!q) return [];
    let hits = this.match(q, allowed, limit);
    if (hits.length === 0) {
      // A full address as people say it ("柯城区府山街道人民路25号"): the units in front are dropped.
      // What is left must still be a name's worth (两字以上): "城区社" is no address.
      const bare = q.replace(/^(?:.{1,10}?(?:省|市|区|县|街道|镇|乡))+/u, '');
      if ([...bare].length >= 2 && bare !== q) hits = this.match(bare, allowed, limit);
    }
    return hits;
  }

  private match(q: string, allowed: (gridId: GridId) => boolean, limit: number): AddressHit[] {
    const chars = [...q];
    // The rarest pair (or the character, for one) narrows the names to check.
    let shortest: Int32Array | undefined;
    const tokens = chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i]! + c);
    for (const t of tokens) {
      const list = this.postings.get(t);
      if (!list) return this.withNearby(q, [], allowed, limit);
      if (!shortest || list.length < shortest.length) shortest = list;
    }
    // The best `limit` so far, kept sorted; equal scores in the natural order of their names
    // (人民路2号 before 人民路10号), so which of many equals are kept does not depend on load order.
    const best: { score: number; id: number; point: number }[] = [];
    const compare = (a: { score: number; id: number }, b: { score: number; id: number }) =>
      a.score - b.score || NATURAL.compare(this.entries[a.id]!.name, this.entries[b.id]!.name);
    for (const id of shortest ?? []) {
      const key = this.keys[id]!;
      const at = key.indexOf(q);
      if (at < 0) continue;
      const e = this.entries[id]!;
      const candidate = { score: matchScore(key, q, at, e.kind), id, point: 0 };
      if (best.length === limit && compare(candidate, best[best.length - 1]!) >= 0) continue;
      candidate.point = e.points.findIndex((p) => allowed(p.gridId));
      if (candidate.point < 0) continue;
      let i = best.length;
      while (i > 0 && compare(best[i - 1]!, candidate) > 0) i--;
      best.splice(i, 0, candidate);
      if (best.length > limit) best.pop();
    }
    return this.withNearby(
      q,
      best.map((b) => this.hit(b.id, b.point, false)),
      allowed,
      limit,
    );
  }

  /** "人民路25号" that does not exist: the numbers on either side of it on that road, after what was found. */
  private withNearby(
    q: string,
    hits: AddressHit[],
    allowed: (gridId: GridId) => boolean,
    limit: number,
  ): AddressHit[] {
    const m = /^(.+?)(\d+)(号|栋)?$/.exec(q);
    if (!m || hits.some((h) => h.kind === 'address' && normalizeName(h.name) === q)) return hits;
    const n = Number(m[2]);
    const out = [...hits];
    for (const suffix of m[3] ? [m[3]] : ['号', '栋']) {
      const list = this.numbered.get(`${m[1]}${suffix}`);
      // The number exists: the pair index found it (or it lies outside the jurisdiction).
      if (!list || list.some((x) => x.n === n)) continue;
      const next = list
        .filter((x) => allowed(this.entries[x.id]!.points[0]!.gridId))
        .sort((a, b) => Math.abs(a.n - n) - Math.abs(b.n - n) || a.n - b.n)
        .slice(0, 2);
      for (const x of next) {
        const name = this.entries[x.id]!.name;
        if (!out.some((h) => h.kind === 'address' && h.name === name)) out.push(this.hit(x.id, 0, true));
      }
    }
    return out.slice(0, limit);
  }

  private hit(id: number, point: number, nearby: boolean): AddressHit {
    const e = this.entries[id]!;
    const p = e.points[point]!;
    return {
      kind: e.kind,
      name: e.name,
      lng: p.lng,
      lat: p.lat,
      gridId: p.gridId,
      area: this.areaOf(p.gridId),
      nearby,
    };
  }

  /** The address point nearest to a place (within 300 m) that `allowed` admits, and how far it is. */
  nearest(
    lng: number,
    lat: number,
    allowed: (gridId: GridId) => boolean,
  ): (AddressHit & { distanceM: number }) | null {
    if (this.pointEntry.length === 0) return null;
    const [k] = around(this.points, lng, lat, 1, NEAREST_MAX_M / 1000, (k) =>
      allowed(this.entries[this.pointEntry[k]!]!.points[0]!.gridId),
    );
    if (k === undefined) return null;
    const id = this.pointEntry[k]!;
    const h = this.hit(id, 0, false);
    return { ...h, distanceM: Math.round(greatCircleM(lng, lat, h.lng, h.lat)) };
  }
}
