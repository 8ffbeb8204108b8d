import { describe, expect, it } from 'vitest';
import { claimedOrigin, originChecked, sameOrigin } from './origin-check.ts';

describe('origin check', () => {
  it('takes Origin, else the Referer’s origin, else nothing', () => {
    expect(claimedOrigin({ origin: 'https://gcc.example', referer: 'https://evil.example/x' })).toBe(
      'https://gcc.example',
    );
    expect(claimedOrigin({ referer: 'https://evil.example/page?q=1' })).toBe('https://evil.example');
    expect(claimedOrigin({})).toBeNull();
  });

  it('lets the server’s own pages and non-browsers through, nothing else', () => {
    expect(sameOrigin('https://gcc.example', 'gcc.example')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(sameOrigin(null, 'gcc.example')).toBe(true);
    expect(sameOrigin('https://evil.example', 'gcc.example')).toBe(false);
    expect(sameOrigin('https://gcc.example.evil.example', 'gcc.example')).toBe(false);
    expect(sameOrigin('http://127.0.0.1:3001', '127.0.0.1:3000')).toBe(false);
    expect(sameOrigin('null', 'gcc.example')).toBe(false);
    expect(sameOrigin('chrome-extension://abc', 'abc')).toBe(false);
  });

  it('applies to state-changing calls outside the device API', () => {
    expect(originChecked('POST', '/trpc/cases.report')).toBe(true);
    expect(originChecked('POST', '/api/photos')).toBe(true);
    expect(originChecked('DELETE', '/api/anything')).toBe(true);
    expect(originChecked('GET', '/trpc/cases.list')).toBe(false);
    expect(originChecked('POST', '/api/device/cases')).toBe(false);
    expect(originChecked('POST', '/api/positions')).toBe(false);
    expect(originChecked('POST', '/api/osmand?id=1')).toBe(false);
  });
});
