// The coverage layer's legend (#coverage-legend, bottom left): the colour bands, the day
// (input#coverage-day) and the shift (select#coverage-shift) shown, and how far the
// rollup has got. Added and removed by the coverage layer itself.
import { L } from 'leaflet';
import { getLang, t } from '../i18n.js';
import { esc } from '../util.js';
import { COVERAGE_COLORS } from '../layers/coverage.js'; // (it imports this module: read only when rendering)

const SHIFTS = ['all', 'day', 'night'];

export const CoverageLegend = L.Control.extend({
  options: {
    position: 'bottomleft',
    layer: null, // the CoverageLayer it drives
  },

  onAdd() {
    const root = L.DomUtil.create('section', 'gl-cov-legend');
    root.id = 'coverage-legend';
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    this._root = root;
    this._onChange = (ev) => {
      const layer = this.options.layer;
      if (ev.target.id === 'coverage-day') layer.setDayShift({ day: ev.target.value || null });
      if (ev.target.id === 'coverage-shift') layer.setDayShift({ shift: ev.target.value });
    };
    root.addEventListener('change', this._onChange);
    this.render();
    return root;
  },

  onRemove() {
    this._root.removeEventListener('change', this._onChange);
    this._root = null;
  },

  render() {
    const root = this._root;
    if (!root) return;
    const layer = this.options.layer;
    const { day, shift } = layer.options;
    const summary = layer.summary || {};
    const through = summary.computed_through
      ? new Date(summary.computed_through).toLocaleTimeString(getLang(), { hour: '2-digit', minute: '2-digit' }) : '';
    const shifts = SHIFTS.map((s) => `<option value="${s}"${s === shift ? ' selected' : ''}>${esc(t(`coverage.shift.${s}`))}</option>`).join('');
    const bands = COVERAGE_COLORS.map(({ key, color }) => `<li><i style="background:${color}"></i>${esc(t(`coverage.band.${key}`))}</li>`).join('');
    root.innerHTML = `<h4>${esc(t('coverage.title'))}</h4>
      <div class="gl-cov-legend__pick">
        <input type="date" id="coverage-day" value="${esc(day || '')}" aria-label="${esc(t('coverage.day'))}">
        <select id="coverage-shift" aria-label="${esc(t('coverage.shift'))}">${shifts}</select>
      </div>
      <ul>${bands}</ul>
      ${through ? `<p class="gl-cov-legend__foot">${esc(t('coverage.through', { time: through }))}</p>` : ''}`;
  },
});
