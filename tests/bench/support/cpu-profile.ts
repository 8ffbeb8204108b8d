import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

// `BENCH_PROFILE=FILE`: one timed step of an in-process benchmark under V8's sampling profiler.
// The profile goes to FILE (open it in Chrome DevTools → Performance), the heaviest functions by
// self time to stderr. Without the variable the step runs as it is.

export async function profiled<T>(label: string, step: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return step();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await step();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    const self = new Map<number, number>();
    profile.samples!.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
    const byName = new Map<string, number>();
    for (const n of profile.nodes) {
      const f = n.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
      byName.set(name, (byName.get(name) ?? 0) + (self.get(n.id) ?? 0));
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30);
    process.stderr.write(`${label}: profile in ${file}; self time by function:\n`);
    for (const [name, us] of top)
      process.stderr.write(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}
