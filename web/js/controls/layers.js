// Grouped layer switcher with i18n labels and a small legend swatch per entry.
// Each checkbox carries data-layer="<id>" (a stable hook for tests). An entry may
// instead be an option of a layer (`option: {get, set}`, `parent: layer`): an indented
// checkbox with data-option="<id>", disabled while its parent layer is off.
import { L } from 'leaflet';
import { applyI18n, onLangChange } from '../i18n.js';

export const LayerSwitcher = L.Control.extend({
  options: {
    position: 'topright',
    collapsed: false,
    // [{titleKey, items: [{id, labelKey, layer, swatch: 'css background' , line: bool}
    //                    | {id, labelKey, option: {get, set}, parent: layer, swatch}]}]
    groups: [],
  },

  initialize(options) {
    L.setOptions(this, options);
    this._inputs = new Map();
  },

  onAdd(map) {
    const root = L.DomUtil.create('section', 'gl-layers');
    if (this.options.collapsed) root.classList.add('is-collapsed');
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);

    const toggle = L.DomUtil.create('button', 'gl-layers__toggle', root);
    toggle.type = 'button';
    toggle.dataset.i18n = 'layers.title';
    toggle.setAttribute('aria-expanded', String(!this.options.collapsed));
    L.DomEvent.on(toggle, 'click', () => {
      const collapsed = root.classList.toggle('is-collapsed');
      toggle.setAttribute('aria-expanded', String(!collapsed));
    });

    const body = L.DomUtil.create('div', 'gl-layers__body', root);
    for (const group of this.options.groups) {
      const section = L.DomUtil.create('div', 'gl-layers__group', body);
      const title = L.DomUtil.create('h4', '', section);
      title.dataset.i18n = group.titleKey;
      for (const item of group.items) section.append(this._row(map, item));
    }

    map.on('layeradd layerremove', this._sync, this);
    this._offLang = onLangChange(() => applyI18n(root));
    applyI18n(root);
    this._root = root;
    this._sync();
    return root;
  },

  onRemove(map) {
    map.off('layeradd layerremove', this._sync, this);
    if (this._offLang) this._offLang();
    this._inputs.clear();
  },

  _row(map, item) {
    const label = document.createElement('label');
    label.className = 'gl-layers__item';
    const input = document.createElement('input');
    input.type = 'checkbox';
    if (item.option) {
      label.classList.add('is-option');
      input.dataset.option = item.id;
      L.DomEvent.on(input, 'change', () => {
        item.option.set(input.checked);
        this._sync();
      });
    } else {
      input.dataset.layer = item.id;
      L.DomEvent.on(input, 'change', () => {
        if (input.checked) map.addLayer(item.layer);
        else map.removeLayer(item.layer);
      });
    }
    const swatch = document.createElement('i');
    swatch.className = `gl-layers__swatch${item.line ? ' is-line' : ''}`;
    if (item.swatch) swatch.style.background = item.swatch;
    const text = document.createElement('span');
    text.dataset.i18n = item.labelKey;
    label.append(input, swatch, text);
    this._inputs.set(item.id, { input, item, label });
    return label;
  },

  _sync() {
    if (!this._map) return;
    for (const { input, item, label } of this._inputs.values()) {
      if (!item.option) {
        input.checked = this._map.hasLayer(item.layer);
        continue;
      }
      input.checked = Boolean(item.option.get());
      if (item.parent) {
        const off = !this._map.hasLayer(item.parent);
        input.disabled = off;
        label.classList.toggle('is-disabled', off);
      }
    }
  },

  /** Grey out an entry, by id or layer (e.g. after a 403); reasonKey becomes its tooltip. */
  setDisabled(idOrLayer, disabled, reasonKey) {
    const entry = this._inputs.get(idOrLayer)
      || [...this._inputs.values()].find((e) => e.item.layer === idOrLayer);
    if (!entry) return;
    entry.input.disabled = disabled;
    entry.label.classList.toggle('is-disabled', disabled);
    if (disabled && reasonKey) entry.label.dataset.i18nAttr = `title:${reasonKey}`;
    else {
      delete entry.label.dataset.i18nAttr;
      entry.label.removeAttribute('title');
    }
    if (this._root) applyI18n(this._root);
  },
});
