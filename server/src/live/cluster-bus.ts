import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { dutyFromIndex, dutyIndex, type DutyState, type Position, type WorkerId } from '@gcc/shared';
import type { Server as IoServer } from 'socket.io';
import type { Logger } from '../log.ts';

// Several server processes on one PostgreSQL (DATABASE_URL) and one Redis (REDIS_URL) share the
// work: a device reports to node A, a wall watches node B, a dispatcher writes on node C.
// - Positions: each node relays the fixes it accepted to the others (binary, one message per
//   ingest batch), so every node's live store is complete and encodes its own frames for its
//   own sockets — the same bytes a single node would send. Relayed fixes are not relayed again,
//   recorded as trajectories or written behind: the receiving node does that once.
// - Events: after an append commits, the node publishes a wake-up; the others read the event
//   table at once instead of on their 2 s poll. The table stays the truth (nothing is lost if a
//   wake-up is: the poll catches it).
// - Duty: the states a node sets (a device's 上岗/下岗 word, the roster, a shift's end) are
//   relayed in batches, so a desk on any node dispatches to a worker on duty on another.
// - Boundary versions: after a publish (or a scheduled version's activation) commits, the node
//   says so; the others reload the version in force at once instead of on their 30 s poll.
// - socket.io's Redis adapter lets one node act on sockets held by another (end a revoked user's
//   streams everywhere at once). Position frames are emitted to local sockets only.
// Without REDIS_URL the bus is local: one process, nothing to relay.
// The channels are named after the record (busSpace): two deployments — or two test databases —
// on one Redis never hear each other's fixes, duty words or wake-ups.
/** Doubles per relayed fix: workerId, lng, lat, at, speed, heading, accuracy. */
const FIELDS = 7;

export interface ClusterBus {
  readonly clustered: boolean;
  /** This node's id (in relayed messages, so a node ignores its own). */
  readonly nodeId: number;
  publishFixes(fixes: readonly Position[]): void;
  onRemoteFixes(cb: (fixes: Position[]) => void): void;
  /** Duty states this node set (上岗/下岗, the roster, 失联 …): the others hold the same. */
  publishDuty(changes: readonly DutyChange[]): void;
  onRemoteDuty(cb: (changes: DutyChange[]) => void): void;
  publishEventWake(): void;
  onRemoteEventWake(cb: () => void): void;
  /** A boundary version was published or took effect: the others reload the version in force. */
  publishBoundary(): void;
  onRemoteBoundary(cb: () => void): void;
  /** Lets socket.io reach sockets on every node (`io.in(room).disconnectSockets()`). */
  attach(io: IoServer): void;
  close(): Promise<void>;
}

/** A worker's duty state as set on one node. */
export interface DutyChange {
  workerId: WorkerId;
  duty: DutyState;
}

/** [nodeId, workerId, duty index, …] as doubles. */
export function encodeDuty(nodeId: number, changes: readonly DutyChange[]): Buffer {
  const f = new Float64Array(1 + changes.length * 2);
  f[0] = nodeId;
  changes.forEach((c, i) => {
    f[1 + 2 * i] = c.workerId;
    f[2 + 2 * i] = dutyIndex(c.duty);
  });
  return Buffer.from(f.buffer);
}

export function decodeDuty(buf: Buffer): { nodeId: number; changes: DutyChange[] } | null {
  if (buf.byteLength < 8 || (buf.byteLength / 8 - 1) % 2 !== 0) return null;
  const copy = new Float64Array(buf.byteLength / 8);
  new Uint8Array(copy.buffer).set(buf);
  const changes: DutyChange[] = [];
  for (let o = 1; o < copy.length; o += 2)
    changes.push({ workerId: copy[o]! as WorkerId, duty: dutyFromIndex(copy[o + 1]!) });
  return { nodeId: copy[0]!, changes };
}

export function encodeFixes(nodeId: number, fixes: readonly Position[]): Buffer {
  const f = new Float64Array(1 + fixes.length * FIELDS);
  f[0] = nodeId;
  fixes.forEach((p, i) => {
    const o = 1 + i * FIELDS;
    f[o] = p.workerId;
    f[o + 1] = p.lng;
    f[o + 2] = p.lat;
    f[o + 3] = p.at;
    f[o + 4] = p.speed;
    f[o + 5] = p.heading;
    f[o + 6] = p.accuracy;
  });
  return Buffer.from(f.buffer);
}

export function decodeFixes(buf: Buffer): { nodeId: number; fixes: Position[] } | null {
  if (buf.byteLength < 8 || (buf.byteLength / 8 - 1) % FIELDS !== 0) return null;
  const copy = new Float64Array(buf.byteLength / 8);
  new Uint8Array(copy.buffer).set(buf);
  const fixes: Position[] = [];
  for (let o = 1; o < copy.length; o += FIELDS) {
    fixes.push({
      workerId: copy[o]! as WorkerId,
      lng: copy[o + 1]!,
      lat: copy[o + 2]!,
      at: copy[o + 3]!,
      speed: copy[o + 4]!,
      heading: copy[o + 5]!,
      accuracy: copy[o + 6]!,
    });
  }
  return { nodeId: copy[0]!, fixes };
}

/** A bus for one process alone. */
export function localBus(): ClusterBus {
  return {
    clustered: false,
    nodeId: 0,
    publishFixes() {},
    onRemoteFixes() {},
    publishDuty() {},
    onRemoteDuty() {},
    publishEventWake() {},
    onRemoteEventWake() {},
    publishBoundary() {},
    onRemoteBoundary() {},
    attach() {},
    async close() {},
  };
}

/**
 * The name the processes of one record share on Redis: the PostgreSQL server and database of
 * `databaseUrl`, never its credentials (two users of one database are one record).
 */
export function busSpace(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `gcc:${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** The Redis bus of the record named `space` (busSpace); resolves once subscribed. */
export async function redisBus(url: string, space: string, log: Logger): Promise<ClusterBus> {
  const POSITIONS = `${space}:positions`;
  const EVENTS = `${space}:events`;
  const BOUNDARY = `${space}:boundary`;
  const DUTY = `${space}:duty`;
  const nodeId = Math.floor(Math.random() * 2 ** 48);
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  const adapterPub = pub.duplicate();
  const adapterSub = pub.duplicate();
  for (const c of [pub, sub, adapterPub, adapterSub])
    c.on('error', (err: unknown) => log.warn({ err }, 'redis connection error (retrying)'));
  await Promise.all([pub.connect(), sub.connect()]);
  const fixListeners: ((fixes: Position[]) => void)[] = [];
  const wakeListeners: (() => void)[] = [];
  const boundaryListeners: (() => void)[] = [];
  const dutyListeners: ((changes: DutyChange[]) => void)[] = [];
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    const name = channel.toString();
    if (name === POSITIONS) {
      const msg = decodeFixes(message);
      if (!msg || msg.nodeId === nodeId) return;
      for (const cb of fixListeners) cb(msg.fixes);
    } else if (name === EVENTS) {
      if (message.toString() === String(nodeId)) return;
      for (const cb of wakeListeners) cb();
    } else if (name === DUTY) {
      const msg = decodeDuty(message);
      if (!msg || msg.nodeId === nodeId) return;
      for (const cb of dutyListeners) cb(msg.changes);
    } else if (name === BOUNDARY) {
      if (message.toString() === String(nodeId)) return;
      for (const cb of boundaryListeners) cb();
    }
  });
  await sub.subscribe(POSITIONS, EVENTS, BOUNDARY, DUTY);
  /** Publishes without waiting; a lost message is made good by the receiver's poll or the next one. */
  const send = (channel: string, message: Buffer | string, what: string) =>
    void pub.publish(channel, message).catch((err: unknown) => log.warn({ err }, `${what} failed`));
  return {
    clustered: true,
    nodeId,
    publishFixes(fixes) {
      if (fixes.length) send(POSITIONS, encodeFixes(nodeId, fixes), 'position relay');
    },
    onRemoteFixes(cb) {
      fixListeners.push(cb);
    },
    publishDuty(changes) {
      if (changes.length) send(DUTY, encodeDuty(nodeId, changes), 'duty relay');
    },
    onRemoteDuty(cb) {
      dutyListeners.push(cb);
    },
    publishEventWake() {
      send(EVENTS, String(nodeId), 'event wake-up publish');
    },
    onRemoteEventWake(cb) {
      wakeListeners.push(cb);
    },
    publishBoundary() {
      send(BOUNDARY, String(nodeId), 'boundary publish notice');
    },
    onRemoteBoundary(cb) {
      boundaryListeners.push(cb);
    },
    attach(io) {
      io.adapter(createAdapter(adapterPub, adapterSub, { key: `${space}:socket.io` }));
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit(), adapterPub.quit(), adapterSub.quit()]);
    },
  };
}
