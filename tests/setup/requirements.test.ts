import { describe, expect, it } from 'vitest';
import { prepare } from './prepare.ts';
import {
  detect,
  findCjkFont,
  installer,
  needsFor,
  parseSkip,
  hostMachine,
  findPostgres,
  type Machine,
} from './requirements.ts';

// The set-up step on made-up machines: a fresh Debian without anything, a machine that cannot
// install, one that has it all. The real machine has everything, so only fakes reach these paths.

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';

interface Fake extends Machine {
  files: Set<string>;
  calls: string[];
}

function machine(opts: {
  files?: string[];
  uid?: number;
  osRelease?: string;
  fonts?: Record<string, string[]>;
  sudoOk?: boolean;
  aptKnows?: boolean;
  fcList?: string;
}): Fake {
  const files = new Set(opts.files ?? []);
  const calls: string[] = [];
  return {
    files,
    calls,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/dev' },
    uid: opts.uid ?? 0,
    exists: (p) => files.has(p),
    readFile: (p) => (p === '/etc/os-release' ? (opts.osRelease ?? DEBIAN) : null),
    listDir: (p) => opts.fonts?.[p] ?? [],
    run: (cmd, args) => {
      calls.push([cmd, ...args].join(' '));
      if (cmd.endsWith('/sudo')) return { status: opts.sudoOk ? 0 : 1, stdout: '' };
      if (cmd.endsWith('fc-list')) return { status: 0, stdout: opts.fcList ?? '' };
      // The npm package's PostgreSQL is real on every machine that installed the lockfile.
      if (cmd.endsWith('/postgres')) return hostMachine().run(cmd, args);
      if (cmd === 'apt-cache') return { status: opts.aptKnows === false ? 100 : 0, stdout: '' };
      return { status: 1, stdout: '' };
    },
  };
}

const pgFound = findPostgres(hostMachine());

describe('TEST_SKIP', () => {
  it('names what it leaves out and returns typos instead of ignoring them', () => {
    const { skip, unknown } = parseSkip(' e2e, Postgres ,,redsi');
    expect([...skip]).toEqual(['e2e', 'postgres']);
    expect(unknown).toEqual(['redsi']);
  });

  it('drops the needs of the suites left out; Redis goes with PostgreSQL (scale-out needs both)', () => {
    expect(needsFor(new Set())).toEqual(['chromium', 'cjk-font', 'postgres', 'redis']);
    expect(needsFor(new Set(['e2e']))).toEqual(['postgres', 'redis']);
    expect(needsFor(new Set(['postgres']))).toEqual(['chromium', 'cjk-font']);
    expect(needsFor(new Set(['redis']))).toEqual(['chromium', 'cjk-font', 'postgres']);
  });
});

describe('detection', () => {
  it('finds Chromium and redis-server on PATH, and honours CHROMIUM_PATH', () => {
    const m = machine({ files: ['/usr/bin/chromium', '/usr/local/bin/redis-server'] });
    expect(detect(m, ['chromium', 'redis'])).toEqual({
      chromium: '/usr/bin/chromium',
      redis: '/usr/local/bin/redis-server',
    });
    m.env.CHROMIUM_PATH = '/opt/chrome/chrome';
    expect(detect(m, ['chromium'])).toEqual({});
    m.files.add('/opt/chrome/chrome');
    expect(detect(m, ['chromium'])).toEqual({ chromium: '/opt/chrome/chrome' });
  });

  it('asks fontconfig for a Chinese font when it can, and reads font folders when it cannot', () => {
    const withFc = machine({ files: ['/usr/bin/fc-list'], fcList: '/usr/share/fonts/x/wqy.ttc: \n' });
    expect(findCjkFont(withFc)).toBe('/usr/share/fonts/x/wqy.ttc');
    // fontconfig answers "none": the DejaVu in the font folder does not count.
    expect(
      findCjkFont(
        machine({ files: ['/usr/bin/fc-list'], fonts: { '/usr/share/fonts': ['a/DejaVuSans.ttf'] } }),
      ),
    ).toBe(null);
    const noFc = machine({
      fonts: { '/usr/share/fonts': ['truetype/dejavu/DejaVuSans.ttf', 'truetype/wqy/wqy-microhei.ttc'] },
    });
    expect(findCjkFont(noFc)).toBe('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc');
    expect(findCjkFont(machine({ fonts: { '/usr/share/fonts': ['truetype/dejavu/DejaVuSans.ttf'] } }))).toBe(
      null,
    );
  });

  it('takes PostgreSQL from the npm package, or from TEST_DATABASE_URL', () => {
    expect(pgFound?.version).toMatch(/^15\./);
    const m = machine({});
    m.env.TEST_DATABASE_URL = 'postgres://x@db/postgres';
    expect(detect(m, ['postgres'])).toEqual({ postgres: 'TEST_DATABASE_URL' });
  });
});

describe('who can install', () => {
  it('Debian or Ubuntu as root, or with sudo that asks no password', () => {
    const bins = ['/usr/bin/apt-get', '/usr/bin/sudo'];
    expect(installer(machine({ files: bins, uid: 0 }))).toEqual({ ok: true, prefix: [] });
    expect(installer(machine({ files: bins, uid: 1000, osRelease: UBUNTU, sudoOk: true }))).toEqual({
      ok: true,
      prefix: ['sudo', '-n'],
    });
    expect(installer(machine({ files: bins, uid: 1000, sudoOk: false }))).toMatchObject({ ok: false });
    expect(installer(machine({ files: bins, osRelease: FEDORA }))).toEqual({
      ok: false,
      reason: 'this is not Debian or Ubuntu',
    });
  });
});

describe.skipIf(!pgFound)('the set-up step', () => {
  const everything = ['/usr/bin/chromium', '/usr/bin/redis-server', '/usr/bin/apt-get', '/usr/bin/fc-list'];
  const font = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

  it('on a fresh Debian as root: refreshes the package lists, installs the three packages, says why', () => {
    const m = machine({ files: ['/usr/bin/apt-get'], aptKnows: false });
    const log: string[] = [];
    const execs: string[] = [];
    const r = prepare(new Set(), {
      machine: m,
      log: (l) => log.push(l),
      exec: (cmd, args) => {
        execs.push([cmd, ...args].join(' '));
        // What apt-get leaves behind, as the next detection will see it.
        if (args.includes('install')) {
          for (const f of ['/usr/bin/chromium', '/usr/bin/redis-server']) m.files.add(f);
          m.listDir = (p) =>
            p === '/usr/share/fonts' ? ['truetype/wqy', 'truetype/wqy/wqy-microhei.ttc'] : [];
        }
        return 0;
      },
    });
    expect(execs).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei redis-server',
    ]);
    expect(r).toMatchObject({ ok: true, found: { chromium: '/usr/bin/chromium', 'cjk-font': font } });
    expect(log.join('\n')).toMatch(/Chromium: the browser tests drive it/);
    expect(log.join('\n')).toMatch(/Redis: the scale-out tests/);
  });

  it('with passwordless sudo: the same through sudo -n, without apt-get update when the lists know the packages', () => {
    const m = machine({
      files: ['/usr/bin/apt-get', '/usr/bin/sudo', '/usr/bin/chromium', '/usr/bin/fc-list'],
      uid: 1000,
      sudoOk: true,
      fcList: `${font}:\n`,
    });
    const execs: string[] = [];
    prepare(new Set(), {
      machine: m,
      log: () => {},
      exec: (cmd, args) => {
        execs.push([cmd, ...args].join(' '));
        return 0;
      },
    });
    expect(execs).toEqual(['sudo -n apt-get install -y -qq --no-install-recommends redis-server']);
  });

  it('stops at once with the exact command when it cannot install', () => {
    const m = machine({
      files: ['/usr/bin/apt-get', '/usr/bin/sudo', '/usr/bin/fc-list'],
      uid: 1000,
      sudoOk: false,
    });
    const r = prepare(new Set(), { machine: m, log: () => {}, exec: () => expect.unreachable() });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.message;
    expect(message).toContain('sudo asks for a password');
    expect(message).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-wqy-microhei redis-server',
    );
    expect(message).toContain('TEST_SKIP=e2e,redis pnpm test');
  });

  it('stops when apt-get ran but the thing is still not there', () => {
    const m = machine({
      files: ['/usr/bin/apt-get', '/usr/bin/chromium', '/usr/bin/fc-list'],
      fcList: `${font}:\n`,
    });
    const r = prepare(new Set(), { machine: m, log: () => {}, exec: () => 0 });
    expect(r).toMatchObject({ ok: false });
    expect(r.ok ? '' : r.message).toMatch(/still missing:\n {2}- Redis/);
    // Root needs no sudo (a root-only container often has none).
    expect(r.ok ? '' : r.message).toContain(
      '\n  apt-get update && apt-get install -y --no-install-recommends redis-server',
    );
  });

  it('asks nothing of the machine for suites left out', () => {
    const m = machine({});
    const r = prepare(new Set(['e2e', 'redis']), {
      machine: m,
      log: () => {},
      exec: () => expect.unreachable(),
    });
    expect(r.ok).toBe(true);
  });

  it('has nothing to do on a machine with everything', () => {
    const m = machine({ files: everything, fcList: `${font}:\n` });
    const r = prepare(new Set(), { machine: m, log: () => {}, exec: () => expect.unreachable() });
    expect(r.ok).toBe(true);
  });
});
