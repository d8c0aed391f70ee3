// "Map as of": a date-time picker that shows the grids valid at that moment
// (AsOfLayer, read-only). Hooks: `.gl-asof[data-active="1|0"]`, `input#asof-at`,
// `button#asof-show`, `button#asof-clear`. Options: onChange(at | null) is called when
// the as-of view is shown, moved or left (the page hides the draft meanwhile).
import { L } from 'leaflet';
import { applyI18n, onLangChange } from '../i18n.js';
import { AsOfLayer } from './asof-layer.js';

/** A datetime-local value ("YYYY-MM-DDTHH:MM") for a Date, in local time. */
export function localInputValue(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** ISO (UTC) from a datetime-local value, or null. */
export function isoFromInput(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const AsOfControl = L.Control.extend({
  options: {
    position: 'topright',
    onChange: null,
    live: null,
  },

  onAdd(map) {
    const root = L.DomUtil.create('section', 'gl-asof leaflet-bar');
    root.dataset.active = '0';
    root.innerHTML = `
      <label for="asof-at" data-i18n="plan.asof.title">历史地图</label>
      <input type="datetime-local" id="asof-at" step="60">
      <div class="gl-asof__row">
        <button type="button" id="asof-show" class="gl-btn gl-btn--plain gl-btn--sm" data-i18n="plan.asof.show">查看</button>
        <button type="button" id="asof-clear" class="gl-btn gl-btn--plain gl-btn--sm" data-i18n="plan.asof.clear" hidden>返回草案</button>
      </div>
      <p class="gl-asof__note gl-muted" data-i18n="plan.asof.readOnly" hidden>只读：显示该时刻有效的网格</p>`;
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    this._root = root;
    this._input = root.querySelector('#asof-at');
    this._input.value = localInputValue();
    this._layer = null;
    this._onShow = () => this.show(isoFromInput(this._input.value));
    this._onClear = () => this.clear();
    this._onKey = (ev) => {
      if (ev.key === 'Enter') this._onShow();
    };
    root.querySelector('#asof-show').addEventListener('click', this._onShow);
    root.querySelector('#asof-clear').addEventListener('click', this._onClear);
    this._input.addEventListener('keydown', this._onKey);
    this._offLang = onLangChange(() => applyI18n(root));
    applyI18n(root);
    return root;
  },

  onRemove(map) {
    this._root.querySelector('#asof-show').removeEventListener('click', this._onShow);
    this._root.querySelector('#asof-clear').removeEventListener('click', this._onClear);
    this._input.removeEventListener('keydown', this._onKey);
    if (this._offLang) this._offLang();
    if (this._layer) map.removeLayer(this._layer);
    this._layer = null;
  },

  /** Show the map as of an ISO time. */
  show(at) {
    if (!at || !this._map) return;
    if (!this._layer) this._layer = new AsOfLayer({ at, live: this.options.live });
    else this._layer.setTime(at);
    if (!this._map.hasLayer(this._layer)) this._map.addLayer(this._layer);
    this._setActive(true);
    if (this.options.onChange) this.options.onChange(at);
  },

  clear() {
    if (this._layer && this._map) this._map.removeLayer(this._layer);
    this._setActive(false);
    if (this.options.onChange) this.options.onChange(null);
  },

  _setActive(active) {
    this._root.dataset.active = active ? '1' : '0';
    this._root.querySelector('#asof-clear').hidden = !active;
    this._root.querySelector('.gl-asof__note').hidden = !active;
  },
});
