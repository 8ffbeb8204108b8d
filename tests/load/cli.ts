import { parseArgs } from 'node:util';
import { runLoad } from './run-load.ts';

// `pnpm load [--devices 40000] [--hz 1] [--watchers 20] [--watcher-hz 10] [--seconds 30] [--url http://127.0.0.1:8080]`
// Simulates devices through the real ingest API and walls watching the position stream, then
// prints a report (JSON). Without --url it starts its own server on the stress city. Loopback only.

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '40000' },
    hz: { type: 'string', default: '1' },
    watchers: { type: 'string', default: '20' },
    'watcher-hz': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    url: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
  },
});
const num = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const report = await runLoad({
  devices: num('devices', values.devices),
  hz: num('hz', values.hz),
  watchers: num('watchers', values.watchers),
  watcherHz: num('watcher-hz', values['watcher-hz']),
  seconds: num('seconds', values.seconds),
  warmupSeconds: num('warmup', values.warmup),
  ...(values.url ? { url: values.url } : {}),
  ...(values.user ? { username: values.user } : {}),
  ...(values.password ? { password: values.password } : {}),
  log: (line) => console.error(`[load] ${line}`),
});
console.log(JSON.stringify(report, null, 2));
process.exit(0);
