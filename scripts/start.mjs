// `pnpm start`: build the web app when its sources are newer than the build, then run one
// server process (embedded database, demo city, simulator) in the foreground.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildWebIfStale } from './web-build.mjs';

const root = new URL('..', import.meta.url).pathname;
buildWebIfStale(root);
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'src', 'main.ts')], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
