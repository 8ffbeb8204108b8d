import { z } from 'zod';

// GB/T 30428 unit-grid code, as Beijing DB11/T 2157-2023 publishes it: 15 digits =
// 6-digit administrative region + 3-digit street + 3-digit community + 3-digit serial.
// Serials run west→east, north→south inside a community.

export interface GridCodeParts {
  /** 6-digit county-level administrative code, e.g. "330802". */
  region: string;
  /** 3-digit street/township number inside the region, e.g. "005". */
  street: string;
  /** 3-digit community/village number inside the street, e.g. "001". */
  community: string;
  /** Serial of the grid inside its community, 1–999. */
  serial: number;
}

export const GRID_CODE_PATTERN = /^(\d{6})(\d{3})(\d{3})(\d{3})$/;

export const GridCodeSchema = z
  .string()
  .regex(GRID_CODE_PATTERN, 'grid code must be 15 digits: 6 region + 3 street + 3 community + 3 serial')
  .refine((s) => !s.endsWith('000'), 'grid serial must be 001–999');

export type GridCodeError =
  | { valid: false; reason: 'not-15-digits'; input: string }
  | { valid: false; reason: 'zero-serial'; input: string };

/** Parses a 15-digit grid code into its parts; returns a reason instead of throwing. */
export function parseGridCode(input: string): ({ valid: true } & GridCodeParts) | GridCodeError {
  const m = GRID_CODE_PATTERN.exec(input);
  if (!m) return { valid: false, reason: 'not-15-digits', input };
  const serial = Number(m[4]);
  if (serial === 0) return { valid: false, reason: 'zero-serial', input };
  return { valid: true, region: m[1]!, street: m[2]!, community: m[3]!, serial };
}

/** Formats grid code parts as the 15-digit code; throws on parts out of range (a programming error). */
export function formatGridCode(parts: GridCodeParts): string {
  if (!/^\d{6}$/.test(parts.region)) throw new RangeError(`region must be 6 digits: ${parts.region}`);
  if (!/^\d{3}$/.test(parts.street)) throw new RangeError(`street must be 3 digits: ${parts.street}`);
  if (!/^\d{3}$/.test(parts.community))
    throw new RangeError(`community must be 3 digits: ${parts.community}`);
  if (!Number.isInteger(parts.serial) || parts.serial < 1 || parts.serial > 999) {
    throw new RangeError(`serial must be 1–999: ${parts.serial}`);
  }
  return `${parts.region}${parts.street}${parts.community}${String(parts.serial).padStart(3, '0')}`;
}

/** The 12-digit statistical code of the community a grid code belongs to. */
export function communityCodeOf(gridCode: string): string {
  return gridCode.slice(0, 12);
}

/** The 9-digit statistical code of the street a grid code belongs to. */
export function streetCodeOf(gridCode: string): string {
  return gridCode.slice(0, 9);
}
