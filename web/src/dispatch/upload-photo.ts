import { CSRF_HEADERS } from '../app/trpc.ts';

/**
 * Uploads one evidence photo for a department desk's 反馈 (POST /api/photos, the body is the
 * image) and returns the reference the command carries. A refusal throws with the server's
 * bilingual message and its code as `data.reason`, like a refused tRPC command.
 */
export async function uploadPhoto(file: File): Promise<string> {
  const res = await fetch('/api/photos', {
    method: 'POST',
    headers: { 'content-type': file.type, ...CSRF_HEADERS },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => null)) as {
    ref?: string;
    error?: string;
    message?: string;
  } | null;
  if (!res.ok || typeof body?.ref !== 'string')
    throw Object.assign(new Error(body?.message ?? `${res.status} ${res.statusText}`), {
      data: { reason: body?.error ?? null },
    });
  return body.ref;
}
