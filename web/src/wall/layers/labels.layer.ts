import { TextLayer } from '@deck.gl/layers';
import type { UnitLevel } from '@gcc/shared';
import { CJK_FONT_STACK } from '../../app/fonts.ts';
import { LABEL_FONT_SETTINGS } from '../../map/label-font.ts';

export interface UnitLabel {
  name: string;
  level: UnitLevel;
  center: [number, number];
}

/**
 * District and street names. The offline base map has no glyphs, so labels are drawn by deck.gl
 * from a local font; the atlas holds exactly the characters of these names.
 */
export function labelsLayer(labels: readonly UnitLabel[], scale: number) {
  const characterSet = new Set<string>();
  for (const l of labels) for (const ch of l.name) characterSet.add(ch);
  return new TextLayer<UnitLabel>({
    id: 'unit-labels',
    data: labels as UnitLabel[],
    getText: (d) => d.name,
    getPosition: (d) => d.center,
    getSize: (d) => (d.level === 'district' ? 24 : 15) * scale,
    getColor: (d) => (d.level === 'district' ? [235, 245, 255, 255] : [160, 196, 232, 230]),
    sizeUnits: 'pixels',
    characterSet,
    fontFamily: CJK_FONT_STACK,
    fontWeight: 600,
    fontSettings: LABEL_FONT_SETTINGS,
    outlineWidth: 4,
    outlineColor: [3, 9, 20, 235],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}
