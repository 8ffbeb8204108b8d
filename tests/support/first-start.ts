import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Helpers of the tests that watch a first start write behind the listening server (history-load,
// address-point-load): holding a loader between its pieces, and data folders that go at the end.

/** A loader hook (beforeBatch, beforePiece): the first piece goes in, then the load waits until `release()`. */
export function holdAfterFirstPiece() {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const atSecond = new Promise<void>((r) => (reached = r));
  const hook = async (k: number, signal: AbortSignal) => {
    if (k < 1) return;
    reached();
    await Promise.race([held, new Promise((r) => signal.addEventListener('abort', r))]);
  };
  return { hook, atSecond, release };
}

/** A new data folder named `prefix…`, removed after the file's tests. Call at the top of a describe. */
export function dataDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** The server's /healthz, as the tests read it. */
export async function health<T>(url: string): Promise<T> {
  return (await (await fetch(`${url}/healthz`)).json()) as T;
}
