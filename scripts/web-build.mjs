// Builds the web app when its sources are newer than the build (`pnpm start` and `pnpm soak`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Runs `pnpm --filter @gcc/web build` in `root` when needed; exits the process when it fails. */
export function buildWebIfStale(root) {
  const web = join(root, 'web');
  const built = join(web, 'dist', 'index.html');
  const sources = Math.max(
    newest(join(web, 'src')),
    newest(join(root, 'shared', 'src')),
    statSync(join(web, 'index.html')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log('building the web app…');
  const r = spawnSync('pnpm', ['--filter', '@gcc/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
