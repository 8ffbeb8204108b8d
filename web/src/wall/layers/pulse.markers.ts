import maplibregl from 'maplibre-gl';
import type { Case } from '@gcc/shared';
import type { UrgencyOf } from '../../directory/categories.ts';
import { css, URGENCY_COLORS } from '../../map/palette.ts';
import type { WallScene } from '../scene.ts';

/**
 * Rings around cases reported in the last minutes. They are DOM markers animated by CSS on the
 * compositor: a pulse costs no WebGL redraw of the map or of the deck.gl layers, which matters
 * on a wall that runs for weeks (and in software rendering, where a redraw is expensive).
 */
export class PulseMarkers {
  private readonly markers = new Map<number, maplibregl.Marker>();

  constructor(
    private readonly scene: WallScene,
    private readonly urgencyOf: UrgencyOf,
  ) {}

  show(cases: readonly Case[]): void {
    const keep = new Set<number>(cases.map((c) => c.id));
    for (const [id, m] of this.markers) {
      if (!keep.has(id)) {
        m.remove();
        this.markers.delete(id);
      }
    }
    for (const c of cases) {
      if (this.markers.has(c.id)) continue;
      const el = document.createElement('div');
      el.className = 'pulse-marker';
      el.style.setProperty('--pulse', css(URGENCY_COLORS[this.urgencyOf(c.category)]));
      el.setAttribute('aria-hidden', 'true');
      const m = new maplibregl.Marker({ element: el, anchor: 'center' })
        .setLngLat([c.lng, c.lat])
        .addTo(this.scene.map);
      this.markers.set(c.id, m);
    }
  }

  clear(): void {
    for (const m of this.markers.values()) m.remove();
    this.markers.clear();
  }
}
