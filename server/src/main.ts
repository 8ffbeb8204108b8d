import { startServer } from './index.ts';
import { loadConfig } from './config/config.ts';
import { DEMO_USERS } from './auth/auth-service.ts';

// `pnpm start` / `node --import tsx server/src/main.ts`: one process, everything on.
const config = loadConfig();
const server = await startServer(config);
server.services.log.info({ url: server.url, demo: config.demoMode }, 'Grid Command Center is up');
const demo = config.demoMode
  ? `  演示账号 demo users: ${DEMO_USERS.map((u) => `${u.username}/${u.password}`).join('  ')}\n`
  : '';
process.stdout.write(`\n  网格化联动指挥中心 Grid Command Center\n  ${server.url}/wall\n${demo}\n`);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  });
}
