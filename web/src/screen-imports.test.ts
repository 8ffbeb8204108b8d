import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Screens import shared parts (app, live, map, format, charts, directory), never each other:
// what two screens need lives in a shared part, so a new screen (/plan) takes it from there and
// a change to one screen cannot break another. The app's router is the one place that knows
// every screen; the benchmark pages measure the wall's own code.

const SRC = import.meta.dirname;
const SCREENS = new Set(['wall', 'dispatch', 'admin', 'analytics', 'login', 'plan']);
/** Files outside the screens that may import screens, and why. */
const MAY_IMPORT_SCREENS = [
  'app/App.tsx', // routes each path to its screen
  'bench/', // the wall-update benchmark drives the wall's scene and layers
];

/** Relative module specifiers of a source file: imports, re-exports, dynamic imports, worker URLs. */
export function relativeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\sfrom\s*['"](\.[^'"]+)['"]/g,
    /\bimport\s*['"](\.[^'"]+)['"]/g,
    /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g,
    /\bnew\s+URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) found.push(m[1]!);
  return found;
}

/** The top folder under web/src a path is in ('' for a file at the top). */
function partOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0]! : '';
}

/** Imports that cross from one screen into another, or from a shared part into a screen. */
export function seamViolations(files: { path: string; source: string }[]): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    const from = partOf(path);
    const name = relative(SRC, path).split(sep).join('/');
    const exempt = MAY_IMPORT_SCREENS.some((p) => name === p || (p.endsWith('/') && name.startsWith(p)));
    for (const spec of relativeSpecifiers(source)) {
      const to = partOf(resolve(dirname(path), spec));
      if (to === from || !SCREENS.has(to)) continue;
      if (!SCREENS.has(from) && exempt) continue;
      out.push(`${name} imports ${spec} (${from || 'src'} → screen ${to})`);
    }
  }
  return out;
}

function sources(dir: string): { path: string; source: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(e.name) ? [{ path, source: readFileSync(path, 'utf8') }] : [];
  });
}

describe('screen seams', () => {
  it('no screen imports another screen, no shared part imports a screen', () => {
    expect(seamViolations(sources(SRC))).toEqual([]);
  });

  it('catches a crossing however it is written', () => {
    const at = (p: string) => join(SRC, p);
    const violations = seamViolations([
      { path: at('analytics/x.tsx'), source: "import { Chart } from '../wall/panels/Chart.tsx';" },
      { path: at('dispatch/a/b.ts'), source: "export { x } from '../../admin/x.ts';" },
      { path: at('admin/x.tsx'), source: "const P = lazy(() => import('../dispatch/DispatchPage.tsx'));" },
      { path: at('map/x.ts'), source: "import type { WallScene } from '../wall/scene.ts';" },
      // allowed: inside one screen, into shared parts, the router, the benchmark
      {
        path: at('wall/panels/x.tsx'),
        source: "import { css } from '../../map/palette.ts';\nimport '../wall.css';",
      },
      { path: at('app/App.tsx'), source: "const W = lazy(() => import('../wall/WallPage.tsx'));" },
      { path: at('bench/p.ts'), source: "import { WallScene } from '../wall/scene.ts';" },
    ]);
    expect(violations).toHaveLength(4);
    expect(violations[0]).toContain('analytics/x.tsx imports ../wall/panels/Chart.tsx');
  });
});
