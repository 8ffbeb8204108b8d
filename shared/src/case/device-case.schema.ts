import { z } from 'zod';
import {
  CategoryCodeSchema,
  LatSchema,
  LngSchema,
  MAX_DESCRIPTION_LENGTH,
  PhotoIdSchema,
} from '../domain/schemas.ts';
import type { PhotoId } from '../ids.ts';
import { ReasonSchema } from './case-event.schema.ts';

// The worker device's case API (/api/device/…): what a grid worker's phone sends to accept,
// start, feed back and report. Photos are uploaded first (POST /api/device/photos) and then
// referenced by the id the upload returned.

/** Largest photo a device may upload (a phone's JPEG, downscaled by the app). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Photo types accepted, checked by their magic bytes as well as the header. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** The reference stored in a case's timeline for an uploaded photo (also the URL it is served at). */
export function photoRef(id: number): string {
  return `/api/photos/${id}`;
}

/** The photo id of a reference made by `photoRef`, or null. */
export function photoIdOfRef(ref: string): PhotoId | null {
  const m = /^\/api\/photos\/([1-9]\d{0,9})$/.exec(ref);
  const id = m ? PhotoIdSchema.safeParse(Number(m[1])) : null;
  return id?.success ? id.data : null;
}

/** The type of an image by its first bytes (JPEG FF D8 FF, PNG's 8-byte signature), or null. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

const expectedVersion = z
  .number({ error: 'expectedVersion must be the case version the device saw' })
  .int()
  .min(1);
const photoIds = z.array(PhotoIdSchema).min(1, 'at least one photo is required').max(9);
const note = z.string().trim().max(500).default('');

/** 签收 / 处置: the step and the case version the device saw. */
export const DeviceStepInputSchema = z.object({ expectedVersion }).strict();

/** 反馈: handled, with uploaded photos; on the spot unless the device says otherwise. */
export const DeviceFeedbackInputSchema = z
  .object({ expectedVersion, note, photos: photoIds, onSite: z.boolean().default(true) })
  .strict();

/** 退回: the case is not the worker's (wrong place, wrong kind of job); back to the dispatcher with the reason. */
export const DeviceReturnInputSchema = z.object({ expectedVersion, reason: ReasonSchema }).strict();

/** A patrol report from the device; with `micro` it is a 微事自办 case already handled on the spot. */
export const DeviceReportInputSchema = z
  .object({
    category: CategoryCodeSchema,
    lng: LngSchema,
    lat: LatSchema,
    description: z.string().trim().min(1, 'description is empty').max(MAX_DESCRIPTION_LENGTH),
    micro: z.object({ note, photos: photoIds }).strict().optional(),
  })
  .strict();

export type DeviceStepInput = z.infer<typeof DeviceStepInputSchema>;
export type DeviceFeedbackInput = z.infer<typeof DeviceFeedbackInputSchema>;
export type DeviceReturnInput = z.infer<typeof DeviceReturnInputSchema>;
export type DeviceReportInput = z.infer<typeof DeviceReportInputSchema>;
