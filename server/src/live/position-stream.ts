import { ALL_READERS, type UnitId } from '@gcc/shared';
import { createHash } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server as IoServer } from 'socket.io';
import type { Services } from '../services.ts';
import { SESSION_COOKIE, readCookie } from '../http/cookies.ts';
import { workerMask } from './worker-scope.ts';

/** What this part uses of the services (not the whole composition root). */
type PositionStreamDeps = Pick<
  Services,
  'auth' | 'boundary' | 'bus' | 'config' | 'log' | 'streamQuota' | 'streams' | 'positions' | 'roster'
>;

// Worker positions: lossy, newest wins. Sockets join one room per jurisdiction (属地): the whole
// city, or the unit the user belongs to, which only receives workers of its own grids. Each tick
// encodes one delta frame per room and writes the same bytes to every socket in it, volatile: a
// socket that is not writable skips the frame instead of queueing it, so memory per client stays
// bounded (requested snapshots too). Frames carry a per-room sequence; a client that sees a gap asks for a
// snapshot. Compression is off: it costs far more CPU and latency than binary frames gain.

export const POSITIONS_NAMESPACE = '/positions';
const READ_ROLES = new Set<string>(ALL_READERS);
/** How often open sockets re-check their session (logout, revoke, expiry end the stream). */
const SESSION_RECHECK_MS = 30_000;

interface Room {
  name: string;
  /** Slots of the workers this room may see; null = every worker (the city room). */
  mask: Uint8Array | null;
  seq: number;
  /** Send every this many base ticks (the room's rate = POSITION_MAX_HZ / every). */
  every: number;
  /** Slots changed since the room's last frame (flags + list). */
  pendingFlag: Uint8Array;
  pendingList: Uint32Array;
  pendingCount: number;
}

/** Rates a client may ask for (frames per second), up to POSITION_MAX_HZ. */
const RATES = [0.5, 1, 2, 5, 10];

export interface PositionStream {
  io: IoServer;
  stop(): Promise<void>;
}

/** Attaches socket.io at /socket.io and starts the broadcast tick. */
export function startPositionStream(http: HttpServer, services: PositionStreamDeps): PositionStream {
  const io = new IoServer(http, {
    path: '/socket.io',
    serveClient: false,
    perMessageDeflate: false,
    httpCompression: false,
    // A device batch of 1,000 fixes is about 110 KB of JSON.
    maxHttpBufferSize: 256_000,
    // Heartbeats well inside a reverse proxy's 60 s idle timeout.
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const { positions } = services;
  const rooms = new Map<string, Room>();
  // With several processes, socket.io's Redis adapter reaches sockets held by the others.
  services.bus.attach(io);
  const sessionRoom = (token: string) =>
    `s:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;

  const maxHz = services.config.POSITION_MAX_HZ;
  // A client's rate: what it asks for (handshake `auth: { hz }`), else POSITION_HZ, rounded down
  // to an allowed rate; one room per jurisdiction and rate, so frames are still encoded once per room.
  const rateFor = (asked: unknown): number => {
    const want = typeof asked === 'number' && Number.isFinite(asked) ? asked : services.config.POSITION_HZ;
    const allowed = RATES.filter((r) => r <= maxHz && r <= want);
    return allowed.at(-1) ?? RATES[0]!;
  };
  const roomFor = (unitId: UnitId, hz: number): Room => {
    const boundary = services.boundary();
    const name = `${boundary.isRoot(unitId) ? 'city' : `unit:${unitId}`}@${hz}`;
    let room = rooms.get(name);
    if (!room) {
      const mask = workerMask(services, unitId);
      room = {
        name,
        mask,
        seq: 0,
        every: Math.max(1, Math.round(maxHz / hz)),
        pendingFlag: new Uint8Array(positions.capacity),
        pendingList: new Uint32Array(positions.capacity),
        pendingCount: 0,
      };
      rooms.set(name, room);
    }
    return room;
  };
  const snapshot = (room: Room) =>
    positions.encode('snapshot', room.seq, Date.now(), positions.knownRows(room.mask));

  const nsp = io.of(POSITIONS_NAMESPACE);
  // socket.io ignores a middleware's promise: every failure must reach next(), never throw.
  nsp.use((socket, next) => {
    const token = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
    services.auth.userForSession(token).then(
      (user) => {
        if (!user) return next(new Error('unauthorized'));
        if (!READ_ROLES.has(user.role)) return next(new Error('forbidden'));
        const release = services.streamQuota.acquire(user.id);
        if (!release) return next(new Error('too-many-streams'));
        // The transport's close also ends a socket that never finished connecting.
        socket.once('disconnect', release);
        socket.conn.once('close', release);
        socket.data.user = user;
        socket.data.token = token;
        next();
      },
      (err: unknown) => {
        services.log.error({ err }, 'position socket auth failed');
        next(new Error('unavailable'));
      },
    );
  });
  nsp.on('connection', (socket) => {
    const room = roomFor(
      socket.data.user.unitId,
      rateFor((socket.handshake.auth as { hz?: unknown } | undefined)?.hz),
    );
    void socket.join([room.name, `u:${socket.data.user.id}`, sessionRoom(socket.data.token as string)]);
    // One reliable snapshot per connection (bounded: one frame); everything after is volatile.
    socket.emit('frame', snapshot(room));
    let lastSnapshot = 0;
    socket.on('snapshot', () => {
      // At most one requested snapshot a second per client.
      const now = Date.now();
      if (now - lastSnapshot < 1000) return;
      lastSnapshot = now;
      socket.volatile.emit('frame', snapshot(room));
    });
  });

  // The base tick runs at the highest rate; each room collects changed slots and sends them on its own beat.
  let tickNo = 0;
  const tick = setInterval(
    () => {
      tickNo++;
      const dirty = positions.takeDirtyRows();
      const now = Date.now();
      for (const room of rooms.values()) {
        const listening = (nsp.adapter.rooms.get(room.name)?.size ?? 0) > 0;
        if (dirty && listening) {
          const { mask, pendingFlag, pendingList } = room;
          for (let i = 0; i < dirty.length; i++) {
            const s = dirty[i]!;
            if ((mask && mask[s] !== 1) || pendingFlag[s]) continue;
            pendingFlag[s] = 1;
            pendingList[room.pendingCount++] = s;
          }
        }
        if (tickNo % room.every !== 0 || room.pendingCount === 0) continue;
        const rows = room.pendingList.subarray(0, room.pendingCount);
        // Nobody listening: drop what piled up (a socket joining gets a snapshot anyway).
        // Local sockets only: every process encodes frames for its own sockets from its complete store.
        if (listening)
          nsp.local.to(room.name).volatile.emit('frame', positions.encode('delta', ++room.seq, now, rows));
        for (let i = 0; i < rows.length; i++) room.pendingFlag[rows[i]!] = 0;
        room.pendingCount = 0;
      }
    },
    Math.round(1000 / maxHz),
  );

  // Sign-out and revocation end the sockets at once, on every process; the recheck below is the safety net.
  const unregister = services.streams.register({
    endSession: (token) => nsp.in(sessionRoom(token)).disconnectSockets(true),
    endUser: (userId) => nsp.in(`u:${userId}`).disconnectSockets(true),
  });

  const recheck = setInterval(() => {
    for (const socket of nsp.sockets.values()) {
      services.auth.userForSession(socket.data.token as string | undefined).then(
        (user) => {
          if (!user) socket.disconnect(true);
        },
        () => {},
      );
    }
  }, SESSION_RECHECK_MS);

  return {
    io,
    stop: async () => {
      clearInterval(tick);
      clearInterval(recheck);
      unregister();
      await io.close();
    },
  };
}
