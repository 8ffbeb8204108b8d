import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const SECRET = 'x'.repeat(40);

describe('the run mode', () => {
  it('is a demo only on a developer or test machine', () => {
    expect(loadConfig({}).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoMode).toBe(true);
    for (const mode of ['production', 'Production', 'PRODUCTION', 'prod', 'staging', ' production'])
      expect(loadConfig({ NODE_ENV: mode, SESSION_SECRET: SECRET }).demoMode, mode).toBe(false);
  });

  it('refuses to run as production without a session secret, whatever the spelling', () => {
    expect(() => loadConfig({ NODE_ENV: 'Production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });

  it('runs the simulator by default in a demo only; either way when asked', () => {
    expect(loadConfig({}).SIMULATOR).toBe(true);
    expect(loadConfig({ NODE_ENV: 'Production', SESSION_SECRET: SECRET }).SIMULATOR).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, SIMULATOR: 'on' }).SIMULATOR).toBe(
      true,
    );
    expect(loadConfig({ SIMULATOR: 'off' }).SIMULATOR).toBe(false);
  });
});
