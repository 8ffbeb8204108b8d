import { loadConfig, type Config } from './config/config.ts';
import { startOsmandListener } from './devices/device-routes.ts';
import { attachDeviceSocket } from './devices/device-socket.ts';
import { buildApp } from './http/app.ts';
import { startPositionStream, type PositionStream } from './live/position-stream.ts';
import { startAlertMonitor } from './live/alert-monitor.ts';
import { startOverdueMonitor } from './cases/overdue-monitor.ts';
import { startPositionPersistence } from './live/position-persist.ts';
import { startTrajectoryRecording } from './live/trajectory-recorder.ts';
import { createLogger } from './log.ts';
import { createServices, type Services } from './services.ts';
import { startSimulator } from './sim/simulator.ts';

export type { AppRouter } from './api/router.ts';
export { loadConfig };

export interface RunningServer {
  url: string;
  /** The Traccar Client port, when OSMAND_PORT is set. */
  osmandPort: number | null;
  /** The socket.io server (position and device namespaces). */
  io: PositionStream['io'];
  /** The overdue timer (超期督办); tests call `tick(now)`. */
  overdue: ReturnType<typeof startOverdueMonitor>['monitor'];
  /** The worker alert monitor (离岗, 失联); tests call `tick(now)`. */
  alerts: ReturnType<typeof startAlertMonitor>['monitor'];
  services: Services;
  stop(): Promise<void>;
}

/** Starts one server process: API, streams, web app, and (if configured) the simulator. */
export async function startServer(
  config: Config = loadConfig(),
  opts: Parameters<Services['loadHistory']>[0] = {},
): Promise<RunningServer> {
  const log = createLogger(config.LOG_LEVEL);
  const services = await createServices(config, log);
  const app = await buildApp(services);
  await app.ready();
  const stream = startPositionStream(app.server, services);
  attachDeviceSocket(stream.io, services);
  const sim = config.SIMULATOR ? startSimulator(services) : null;
  const persist = startPositionPersistence(services.database.db, services.positions, 15_000, (err) =>
    log.error({ err }, 'position write-behind failed'),
  );
  const tracks = startTrajectoryRecording(services.trajectories, (err) =>
    log.error({ err }, 'trajectory flush failed'),
  );
  const alerts = startAlertMonitor(services);
  const overdue = startOverdueMonitor(services);
  await app.listen({ port: config.PORT, host: config.HOST });
  // The wall and the desks work from here; months of older history go in behind them.
  services.loadHistory(opts);
  const osmand =
    config.OSMAND_PORT !== undefined
      ? await startOsmandListener(services, config.OSMAND_PORT, config.HOST)
      : null;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  return {
    url,
    osmandPort: osmand?.port ?? null,
    io: stream.io,
    overdue: overdue.monitor,
    alerts: alerts.monitor,
    services,
    async stop() {
      await osmand?.close();
      await sim?.stop();
      await stream.stop();
      await alerts.stop();
      await overdue.stop();
      await persist.stop();
      await tracks.stop();
      await app.close();
      await services.close();
    },
  };
}
