// Report markers for the command center: the shared reports layer, but a click opens
// the detail panel (the layer fires 'open' {id}) instead of a popup; hovering shows
// the category.
import { pick } from '../i18n.js';
import { esc } from '../util.js';
import { ReportsLayer } from '../layers/reports.js';

export const CenterReportsLayer = ReportsLayer.extend({
  createFeature(feature) {
    const marker = ReportsLayer.prototype.createFeature.call(this, feature);
    marker.unbindPopup();
    marker.bindTooltip(() => {
      const p = marker.feature.properties;
      return `${esc(pick(p.category_name, p.category_name_en) || p.category || '')} #${esc(p.id)}`;
    }, { direction: 'top', offset: [0, -22] });
    marker.on('click', () => this.fire('open', { id: marker.feature.properties.id }));
    return marker;
  },
});
