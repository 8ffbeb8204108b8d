import type { Server as HttpServer } from 'node:http';
import { Server as IoServer } from 'socket.io';
import type { Services } from '../services.ts';
import { SESSION_COOKIE, readCookie } from '../http/cookies.ts';

// Worker positions: lossy, newest wins. Each tick encodes one delta frame and writes the same
// bytes to every socket (volatile: a client whose socket is not writable skips the frame instead
// of queueing it, so server memory per client stays bounded). Frames carry a sequence number;
// a client that sees a gap asks for a snapshot. Compression is off: it costs far more CPU and
// latency than binary frames gain.

export const POSITIONS_NAMESPACE = '/positions';
const READ_ROLES = new Set(['admin', 'dispatcher', 'planner', 'wall']);

export interface PositionStream {
  io: IoServer;
  stop(): Promise<void>;
}

/** Attaches socket.io at /socket.io and starts the broadcast tick. */
export function startPositionStream(http: HttpServer, services: Services): PositionStream {
  const io = new IoServer(http, {
    path: '/socket.io',
    serveClient: false,
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: 1e6,
    // Heartbeats well inside a reverse proxy's 60 s idle timeout.
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const nsp = io.of(POSITIONS_NAMESPACE);
  nsp.use(async (socket, next) => {
    const user = await services.auth.userForSession(readCookie(socket.request.headers.cookie, SESSION_COOKIE));
    if (!user) return next(new Error('unauthorized'));
    if (!READ_ROLES.has(user.role)) return next(new Error('forbidden'));
    socket.data.user = user;
    next();
  });
  nsp.on('connection', (socket) => {
    void socket.join('city');
    socket.emit('frame', services.positions.snapshotFrame(Date.now()));
    let lastSnapshot = 0;
    socket.on('snapshot', () => {
      // At most one requested snapshot a second per client.
      const now = Date.now();
      if (now - lastSnapshot < 1000) return;
      lastSnapshot = now;
      socket.emit('frame', services.positions.snapshotFrame(now));
    });
  });
  const period = Math.round(1000 / services.config.POSITION_HZ);
  const timer = setInterval(() => {
    const frame = services.positions.takeDeltaFrame(Date.now());
    if (frame) nsp.to('city').volatile.emit('frame', frame);
  }, period);
  return {
    io,
    stop: async () => {
      clearInterval(timer);
      await io.close();
    },
  };
}
