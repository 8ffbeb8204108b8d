import { z } from 'zod';
import { GridIdSchema, LatSchema, LngSchema } from '../domain/schemas.ts';

// The gazetteer (地名地址库) as intake searches it: roads, places (POIs), administrative units,
// grids and address points (标准地址: "人民路25号", "金桂小区3栋"). Partial input matches anywhere in
// a name; "人民路 25 号" finds the address point, and where that number does not exist, the
// numbers next to it on the same road.

export const ADDRESS_KINDS = ['address', 'road', 'place', 'community', 'street', 'district', 'grid'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export const MAX_ADDRESS_QUERY = 40;
export const MAX_ADDRESS_HITS = 20;

/** `address.search`: a bounded query; at most 20 hits. */
export const AddressSearchInputSchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(1, 'query is empty')
      .max(MAX_ADDRESS_QUERY, `query longer than ${MAX_ADDRESS_QUERY} characters`),
    limit: z.number().int().min(1).max(MAX_ADDRESS_HITS).default(10),
  })
  .strict();
export type AddressSearchInput = z.input<typeof AddressSearchInputSchema>;

export const AddressHitSchema = z.object({
  kind: z.enum(ADDRESS_KINDS),
  name: z.string(),
  /** Where the hit stands (for a road: a point of it inside the caller's jurisdiction). */
  lng: LngSchema,
  lat: LatSchema,
  /** The grid the point falls in. */
  gridId: GridIdSchema,
  /** Street · community of the point, for telling two hits of one name apart. */
  area: z.string(),
  /** A house number next to the one asked for, which does not exist (人民路25号 → 人民路24号). */
  nearby: z.boolean(),
});
export type AddressHit = z.infer<typeof AddressHitSchema>;

/** `address.nearest`: the address point nearest to a clicked place. */
export const AddressNearestInputSchema = z.object({ lng: LngSchema, lat: LatSchema }).strict();
