// A ring on the ground under the report that the detail panel shows (class `gl-focus`).
import { L } from 'leaflet';

export const FocusRing = L.Marker.extend({
  options: {
    interactive: false,
    keyboard: false,
    zIndexOffset: -1000, // under the report's own pin
    icon: L.divIcon({ className: 'gl-focus', html: '<i></i>', iconSize: [44, 44], iconAnchor: [22, 22] }),
  },
});
