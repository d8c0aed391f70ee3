// The legend of the workload colouring (#load-legend, bottom left): the parent, its mean
// load and spread, and the bands of a grid's load against the mean. Added and removed by
// the LoadLayer itself.
import { L } from 'leaflet';
import { t } from '../i18n.js';
import { esc } from '../util.js';
import { LOAD_BANDS, fmt } from './loads.js';

const BAND_KEYS = {
  low: 'plan.loadBand.low', under: 'plan.loadBand.under', even: 'plan.loadBand.even', over: 'plan.loadBand.over', high: 'plan.loadBand.high',
};

export const LoadLegend = L.Control.extend({
  options: {
    position: 'bottomleft',
    layer: null, // the LoadLayer it explains
    nameOf: (parent) => parent.name, // the parent's name in the current language
  },

  onAdd() {
    const root = L.DomUtil.create('section', 'gl-load-legend');
    root.id = 'load-legend';
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    this._root = root;
    this.render();
    return root;
  },

  onRemove() {
    this._root = null;
  },

  render() {
    const root = this._root;
    if (!root) return;
    const workload = this.options.layer.workload;
    const parent = workload && workload.parent;
    const bands = LOAD_BANDS.map((b) => `<li data-band="${b.key}"><i style="background:${b.color}"></i>${esc(t(BAND_KEYS[b.key]))}</li>`).join('');
    root.innerHTML = `<h4>${esc(t('plan.load.mapTitle'))}</h4>
      ${parent ? `<p>${esc(this.options.nameOf(parent))}<br>${esc(t('plan.load.legendLine', { mean: fmt(parent.mean_load, 1), spread: fmt(parent.spread, 2) }))}</p>` : ''}
      <ul>${bands}</ul>`;
  },
});
