// `pnpm dev`: Vite's dev server (hot reload, proxies the API to :8080) and the server in watch mode.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const children = [
  spawn('pnpm', ['exec', 'tsx', 'watch', join(root, 'server', 'src', 'main.ts')], {
    cwd: join(root, 'server'),
    stdio: 'inherit',
    env: { ...process.env, DATA_DIR: join(root, '.data', 'pglite') },
  }),
  spawn('pnpm', ['--filter', '@gcc/web', 'dev'], { cwd: root, stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, stop);
for (const c of children)
  c.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
