import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import {
  MAX_PHOTO_BYTES,
  photoRef,
  sniffPhotoType,
  type SessionUser,
  type CaseId,
  type UserId,
  type WorkerId,
  type PhotoId,
} from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import type { AlsoInTx } from '../cases/case-commands.ts';
import type { Db } from '../db/connect.ts';
import { cases, photos } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { Boundary } from '../spatial/boundary.ts';

// Photo evidence (反馈, 微事自办): stored by whoever uploads it — a worker's device or a
// department desk — and owned by that uploader until a case references it. The device API and the
// desk's upload route both come through here, so the checks (type by magic bytes, size, owner) are
// the same.

/** Who uploads: a worker's device or a signed-in desk user. */
export type PhotoUploader = { workerId: WorkerId } | { userId: UserId };

export type StoredPhoto = { id: PhotoId; ref: string; size: number; contentType: string };
export type PhotoUploadRefusal = {
  status: 400 | 413 | 415;
  code: 'photo-type' | 'photo-empty' | 'photo-too-large';
  key: MessageKey;
  detail?: string;
};

/** A photo a command referenced that is not the uploader's, or already evidence of another case. */
export class PhotoRefusal extends Error {
  constructor(readonly photoId: number) {
    super(`photo ${photoId} refused`);
  }
}

/** Stores an uploaded photo (JPEG or PNG by its magic bytes, ≤ 2 MB) for its uploader. */
export async function storePhoto(
  db: Pick<Db, 'insert'>,
  uploader: PhotoUploader,
  contentType: string | undefined,
  body: unknown,
  now = Date.now(),
): Promise<{ ok: true; value: StoredPhoto } | { ok: false; refusal: PhotoUploadRefusal }> {
  const refuse = (refusal: PhotoUploadRefusal) => ({ ok: false as const, refusal });
  const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (declared !== 'image/jpeg' && declared !== 'image/png')
    return refuse({
      status: 415,
      code: 'photo-type',
      key: 'device.photoType',
      detail: declared || 'no content-type',
    });
  if (!(body instanceof Uint8Array) || body.length === 0)
    return refuse({ status: 400, code: 'photo-empty', key: 'device.photoEmpty' });
  if (body.length > MAX_PHOTO_BYTES)
    return refuse({
      status: 413,
      code: 'photo-too-large',
      key: 'device.photoTooLarge',
      detail: `${body.length} bytes`,
    });
  const sniffed = sniffPhotoType(body);
  if (sniffed !== declared)
    return refuse({
      status: 400,
      code: 'photo-type',
      key: 'device.photoType',
      detail: sniffed ? `content is ${sniffed}, header says ${declared}` : 'not an image',
    });
  const owner =
    'workerId' in uploader
      ? { workerId: uploader.workerId, userId: null }
      : { workerId: null, userId: uploader.userId };
  const [row] = await db
    .insert(photos)
    .values({ ...owner, caseId: null, contentType: sniffed, bytes: body, size: body.length, createdAt: now })
    .returning({ id: photos.id });
  return {
    ok: true,
    value: { id: row!.id, ref: photoRef(row!.id), size: body.length, contentType: sniffed },
  };
}

/**
 * Attaches uploaded photos to a case in the case's transaction: each must be the uploader's own
 * and not evidence of another case (a rework may show the same photo again). Throws PhotoRefusal,
 * which rolls the command back.
 */
export function attachPhotos(ids: readonly PhotoId[], uploader: PhotoUploader): AlsoInTx {
  const own =
    'workerId' in uploader ? eq(photos.workerId, uploader.workerId) : eq(photos.userId, uploader.userId);
  return async (tx: Tx, row) => {
    const attached = await tx
      .update(photos)
      .set({ caseId: row.id })
      .where(and(inArray(photos.id, [...ids]), own, or(isNull(photos.caseId), eq(photos.caseId, row.id))))
      .returning({ id: photos.id });
    const ok = new Set(attached.map((r) => r.id));
    const missing = ids.find((id) => !ok.has(id));
    if (missing !== undefined) throw new PhotoRefusal(missing);
  };
}

/**
 * A photo for a signed-in user, when the case it is evidence of lies in the user's jurisdiction
 * (属地) — and, for a department desk, when `involves` says its department is on the case.
 */
export async function readPhoto(
  db: Pick<Db, 'select'>,
  boundary: Boundary,
  user: SessionUser,
  id: PhotoId,
  involves?: (caseId: CaseId) => Promise<boolean>,
): Promise<{ contentType: string; bytes: Uint8Array } | null> {
  const [row] = await db
    .select({
      contentType: photos.contentType,
      bytes: photos.bytes,
      caseId: photos.caseId,
      gridId: cases.gridId,
    })
    .from(photos)
    .leftJoin(cases, eq(cases.id, photos.caseId))
    .where(eq(photos.id, id));
  // An unattached upload is nobody's evidence yet.
  if (!row || row.gridId === null || row.caseId === null) return null;
  if (!boundary.isRoot(user.unitId) && !boundary.gridInUnit(row.gridId, user.unitId)) return null;
  if (involves && !(await involves(row.caseId))) return null;
  return { contentType: row.contentType, bytes: row.bytes };
}
