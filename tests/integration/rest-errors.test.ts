import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../server/src/db/schema.ts';
import { signedIn } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Every REST refusal has the one shape {error, message, index?} and says what was wrong: a form
// posted to a JSON route is a media-type refusal (it used to say "photo must be JPEG or PNG"),
// an upload of the wrong type is a photo-type refusal, and a 501-character reason is too long
// (it used to say "reason is required").

describe('REST refusals say what was wrong', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let token: string;
  const caseCount = async () =>
    (await server.services.database.db.select({ id: cases.id }).from(cases)).length;
  const post = (path: string, body: string | Uint8Array, type: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
  const shapeOf = async (res: Response) => {
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).filter((k) => k !== 'index')).toEqual(['error', 'message']);
    return body as { error: string; message: string };
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    const admin = await signedIn(server.url, 'admin', 'admin123');
    const w = server.services.roster[0]!;
    token = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a form or multipart report with 415 media-type, and stores nothing', async () => {
    const w = server.services.roster[0]!;
    const before = await caseCount();
    const form = await post(
      '/api/device/cases',
      `category=S0101&lng=${w.homeLng}&lat=${w.homeLat}&description=x`,
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(415);
    const formBody = await shapeOf(form);
    expect(formBody.error).toBe('media-type');
    expect(formBody.message).toContain('application/json');
    expect(formBody.message).not.toContain('JPEG');

    const boundary = 'gccboundary';
    const multipart = await post(
      '/api/device/cases',
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.gif"\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n--${boundary}--\r\n`,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect(multipart.status).toBe(415);
    expect((await shapeOf(multipart)).error).toBe('media-type');
    expect(await caseCount()).toBe(before);
  });

  it('answers an upload of another type, a form included, with 415 photo-type', async () => {
    for (const [body, type] of [
      ['GIF89a', 'image/gif'],
      ['photo=x', 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await post('/api/device/photos', body, type);
      expect(res.status, type).toBe(415);
      expect((await shapeOf(res)).error).toBe('photo-type');
    }
  });

  it('answers a JSON report over the body limit with 413 too-large, not a photo error', async () => {
    const res = await post(
      '/api/device/cases',
      JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 1) }),
      'application/json',
    );
    expect(res.status).toBe(413);
    expect((await shapeOf(res)).error).toBe('too-large');
  });

  it('says a 501-character reason is too long (max 500), not that it is required', async () => {
    const res = await post(
      '/api/device/cases/1/return',
      JSON.stringify({ expectedVersion: 1, reason: '理'.repeat(501) }),
      'application/json',
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('bad-input');
    expect(body.message).toContain('原因过长（最多 500 字）');
    expect(body.message).toContain('at most 500 characters');
    expect(body.message).not.toMatch(/required|请填写/);
  });
});
