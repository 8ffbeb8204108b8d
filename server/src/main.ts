import { startServer } from './index.ts';
import { loadConfig } from './config/config.ts';

// `pnpm start` / `node --import tsx server/src/main.ts`: one process, everything on.
const config = loadConfig();
const server = await startServer(config);
server.services.log.info({ url: server.url, demo: config.demoMode }, 'Grid Command Center is up');
process.stdout.write(`\n  网格化联动指挥中心 Grid Command Center\n  ${server.url}/wall\n\n`);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  });
}
