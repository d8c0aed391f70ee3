// A marker whose icon element carries data-* attributes (test and styling hooks).
// Leaflet recreates the icon element on setIcon(), so the attributes are set there too.
import { L } from 'leaflet';

export const TaggedMarker = L.Marker.extend({
  options: {
    dataset: {}, // e.g. {workerId: 'w12'} → data-worker-id="w12"
  },

  _initIcon() {
    L.Marker.prototype._initIcon.call(this);
    if (!this._icon) return;
    for (const [key, value] of Object.entries(this.options.dataset || {})) {
      this._icon.dataset[key] = String(value);
    }
  },
});

/** Set data-* attributes on a Path's SVG element every time it is added to a map. */
export function tagPath(path, dataset) {
  const apply = () => {
    const el = path.getElement && path.getElement();
    if (!el) return;
    for (const [key, value] of Object.entries(dataset)) el.dataset[key] = String(value);
  };
  path.on('add', apply);
  return path;
}
