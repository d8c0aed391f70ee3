// A grid outlined on the map for a panel's row (GET /api/grids/{id}), fitted into the part
// of the map the panel leaves free. One outline at a time; `clear()` removes it.
import { L } from 'leaflet';
import { errorMessage, getGrid, isAbort } from '../api.js';
import { toast } from '../controls/toast.js';

export class GridFocus {
  /**
   * @param {{map: L.Map, panel: HTMLElement, edge: 'bottom'|'right', style: L.PathOptions}} options
   * `edge`: the side of the map the panel covers; `style` includes the outline's className.
   */
  constructor({ map, panel, edge, style }) {
    Object.assign(this, { map, panel, edge, style });
    this.layer = null;
  }

  /** Outline grid `id` and fit it, if `wanted()` still holds once the grid is in; errors toast. */
  async show(id, wanted) {
    try {
      const feature = await getGrid(id);
      if (!wanted()) return;
      this.clear();
      this.layer = L.geoJSON(feature, { style: () => ({ ...this.style }) }).addTo(this.map);
      const bounds = this.layer.getBounds();
      if (!bounds.isValid()) return;
      const [paddingTopLeft, paddingBottomRight] = this.edge === 'right'
        ? [[32, 32], [this.panel.offsetWidth + 24, 32]]
        : [[32, 32], [32, this.panel.offsetHeight + 24]];
      this.map.fitBounds(bounds, { paddingTopLeft, paddingBottomRight, maxZoom: 17 });
    } catch (err) {
      if (!isAbort(err)) toast(errorMessage(err), { kind: 'error' });
    }
  }

  clear() {
    if (this.layer) this.layer.remove();
    this.layer = null;
  }
}
