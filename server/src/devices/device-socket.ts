import type { Server as IoServer } from 'socket.io';
import { findBadText } from '@gcc/shared';
import { badTextBody } from '../http/error-shape.ts';
import type { Services } from '../services.ts';
import { ingestDeviceBatch } from './device-ingest.ts';
import { THROTTLED } from './device-registry.ts';

/** What this part uses of the services (not the whole composition root). */
type DeviceSocketDeps = Pick<
  Services,
  'devices' | 'positions' | 'limits' | 'boundary' | 'roster' | 'bus' | 'fieldDuty'
>;

// A socket.io namespace for devices that keep a connection open (terminals, the worker app):
// authenticate once with `auth: { token }` in the handshake, then emit `positions` with the
// same JSON array as POST /api/positions and an acknowledgement callback, which receives
// `{ ok: true, accepted, stale, unknown, outOfScope }` or `{ ok: false, error, message, index }`.
// The credential is looked up again on every batch, so a revocation ends the device's writes at once.

export const DEVICES_NAMESPACE = '/devices';

export function attachDeviceSocket(io: IoServer, services: DeviceSocketDeps): void {
  const nsp = io.of(DEVICES_NAMESPACE);
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const cred = typeof token === 'string' ? services.devices.lookup(token, socket.handshake.address) : null;
    if (cred === THROTTLED) return next(new Error('rate-limited'));
    if (!cred) return next(new Error('unauthorized'));
    socket.data.deviceToken = token;
    next();
  });
  nsp.on('connection', (socket) => {
    socket.on('positions', (body: unknown, ack?: unknown) => {
      // As on every HTTP route: no NUL or lone surrogate in any text or key of what a device sends.
      const where = findBadText(body);
      if (where) {
        if (typeof ack === 'function') ack({ ok: false, ...badTextBody(where), index: null });
        return;
      }
      const res = ingestDeviceBatch(services, socket.data.deviceToken as string, body, {
        from: socket.handshake.address,
      });
      if (typeof ack !== 'function') return;
      if (res.ok) ack({ ok: true, ...res.outcome });
      else {
        ack({
          ok: false,
          error: res.failure.code,
          message: res.failure.message,
          index: 'index' in res.failure ? res.failure.index : null,
        });
        if (res.failure.status === 401) socket.disconnect(true);
      }
    });
  });
}
