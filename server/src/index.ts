import { loadConfig, type Config } from './config/config.ts';
import { buildApp } from './http/app.ts';
import { startPositionStream } from './live/position-stream.ts';
import { createLogger } from './log.ts';
import { createServices, type Services } from './services.ts';
import { startSimulator } from './sim/simulator.ts';

export type { AppRouter } from './api/router.ts';
export { loadConfig };

export interface RunningServer {
  url: string;
  services: Services;
  stop(): Promise<void>;
}

/** Starts one server process: API, streams, web app, and (if configured) the simulator. */
export async function startServer(config: Config = loadConfig()): Promise<RunningServer> {
  const log = createLogger(config.LOG_LEVEL);
  const services = await createServices(config, log);
  const app = await buildApp(services);
  await app.ready();
  const stream = startPositionStream(app.server, services);
  const sim = config.SIMULATOR ? startSimulator(services) : null;
  await app.listen({ port: config.PORT, host: config.HOST });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  return {
    url,
    services,
    async stop() {
      await sim?.stop();
      await stream.stop();
      await app.close();
      await services.close();
    },
  };
}
