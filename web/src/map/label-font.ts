// Map labels are drawn by deck.gl from a local font (the offline base map has no glyphs). Signed
// distance fields keep them sharp at any size and allow a halo; the atlas's buffer around each
// glyph must be at least the field's radius, or the fields of neighbouring glyphs bleed into each
// other and small CJK labels come out as broken strokes (deck.gl's default buffer is 4).
export const LABEL_FONT_SETTINGS = { sdf: true, fontSize: 64, buffer: 12, radius: 12 } as const;
