// 登记来电/来访: staff record a 12345 hotline call or a walk-in for the person reporting.
// The form (#record-form, markup in index.html) takes the queue panel's place while it is
// open; the place is picked on the map (PickMarker). POST /api/reports/record; problems
// are shown next to the field they name. Fires 'open', and 'recorded' {detail: {id, created}}.
import { onLangChange, pick, t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { getCategories, recordReport } from './api.js';
import { FieldErrors } from './fields.js';
import { PickMarker } from './pick-marker.js';

// where the server's `field` is shown: the location box takes every place-related field
const ALIAS = { coordinates: 'lon', lat: 'lon', address: 'lon', coord_sys: 'lon', location_source: 'lon', source: '_' };
const INVALID = {
  reporter_name: () => t('center.record.needName'),
  reporter_phone: () => t('center.record.badPhone'),
  description: () => t('center.record.badDescription'),
  category: () => t('center.record.needCategory'),
};

export class RecordForm extends EventTarget {
  /**
   * @param {object} o
   * @param {HTMLElement} o.panel   #queue-panel (gets class is-recording while open)
   * @param {HTMLFormElement} o.form  #record-form
   * @param {HTMLButtonElement} o.opener  #record-open
   * @param {L.Map} o.map
   */
  constructor({ panel, form, opener, map }) {
    super();
    Object.assign(this, { panel, form, opener, map });
    this.errors = new FieldErrors(form, { alias: ALIAS, invalid: INVALID });
    this.picker = new PickMarker();
    this.categories = null;
    this.busy = false;
    this.$ = (id) => form.querySelector(`#${id}`);
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onSubmit = (ev) => {
      ev.preventDefault();
      this.submit();
    };
    this._onClick = (ev) => this._click(ev);
    this._onInput = (ev) => this._edited(ev.target);
    this._onPick = (ev) => this._picked(ev.latlng);
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.form.addEventListener('submit', this._onSubmit);
    this.form.addEventListener('click', this._onClick);
    this.form.addEventListener('input', this._onInput);
    this.picker.on('pick', this._onPick);
    this._offLang = onLangChange(() => {
      this._renderCategories();
      this._renderPlace();
      this.errors.render();
    });
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.form.removeEventListener('submit', this._onSubmit);
    this.form.removeEventListener('click', this._onClick);
    this.form.removeEventListener('input', this._onInput);
    this.picker.off('pick', this._onPick);
    if (this._offLang) this._offLang();
    this.close();
  }

  isOpen() {
    return !this.form.hidden;
  }

  open() {
    this.form.hidden = false;
    this.panel.classList.add('is-recording');
    this.opener.setAttribute('aria-expanded', 'true');
    this.picker.addTo(this.map);
    this._renderPlace();
    if (!this.categories) this.loadCategories();
    this.$('record-name').focus();
    this.dispatchEvent(new CustomEvent('open'));
  }

  close() {
    this.form.hidden = true;
    this.panel.classList.remove('is-recording');
    this.opener.setAttribute('aria-expanded', 'false');
    if (this.map.hasLayer(this.picker)) this.picker.remove();
    this.errors.clear();
  }

  /** (Re)read the active categories, e.g. after they were edited. */
  async loadCategories() {
    try {
      this.categories = await getCategories();
      this._renderCategories();
      this.errors.clear('category');
    } catch (err) {
      this.errors.set('category', () => errorMessage(err));
    }
  }

  reset() {
    const keep = this.$('record-source').value;
    this.form.reset();
    this.$('record-source').value = keep; // the desk usually takes the same kind in a row
    this.picker.clear();
    this.errors.clear();
  }

  async submit() {
    if (this.busy) return;
    this.errors.clear();
    const value = (id) => this.$(id).value.trim();
    if (!value('record-name')) this.errors.set('reporter_name', INVALID.reporter_name);
    if (!value('record-category')) this.errors.set('category', INVALID.category);
    if (this.errors.size) {
      this.form.querySelector('[aria-invalid]').focus();
      return;
    }
    const at = this.picker.getLatLng();
    const body = {
      source: value('record-source'),
      reporter_name: value('record-name'),
      reporter_phone: value('record-phone') || undefined,
      category: value('record-category'),
      description: value('record-description'),
      lon: at ? round(at.lng) : undefined,
      lat: at ? round(at.lat) : undefined,
      location_source: 'map',
      address: value('record-address') || undefined,
    };
    this._setBusy(true);
    try {
      const created = await recordReport(body);
      toast(t('center.record.done', { id: created.id }), { kind: 'ok' });
      this.reset();
      this.close();
      this.dispatchEvent(new CustomEvent('recorded', { detail: { id: created.id, created } }));
    } catch (err) {
      const key = this.errors.fromError(err);
      const control = this.form.querySelector(`[data-err="${key}"]`)?.parentElement.querySelector('input, select, textarea');
      if (control) control.focus();
    } finally {
      this._setBusy(false);
    }
  }

  _setBusy(busy) {
    this.busy = busy;
    this.$('record-submit').disabled = busy;
    this.form.classList.toggle('is-busy', busy);
  }

  _click(ev) {
    if (ev.target.closest('#record-cancel')) this.close();
    else if (ev.target.closest('#record-clear')) this.picker.clear();
  }

  _edited(el) {
    const err = el.closest('.gl-field')?.querySelector('[data-err]');
    if (err) this.errors.clear(err.dataset.err);
  }

  _picked(latlng) {
    this._renderPlace();
    if (latlng) this.errors.clear('lon');
  }

  _renderPlace() {
    const at = this.picker.getLatLng();
    const box = this.$('record-location');
    box.dataset.state = at ? 'set' : 'empty';
    const text = this.$('record-lonlat');
    text.textContent = at
      ? t('center.record.lonlat', { lon: round(at.lng).toFixed(6), lat: round(at.lat).toFixed(6) })
      : t('center.record.pickHint');
    this.$('record-clear').hidden = !at;
  }

  _renderCategories() {
    if (!this.categories) return;
    const select = this.$('record-category');
    const keep = select.value;
    select.innerHTML = `<option value="">${esc(t('center.record.choose'))}</option>`
      + this.categories.map((c) => `<option value="${esc(c.code)}">${esc(pick(c.name, c.name_en))}</option>`).join('');
    if (this.categories.some((c) => c.code === keep)) select.value = keep;
  }
}

/** Six decimals are about 0.1 m. */
function round(v) {
  return Math.round(v * 1e6) / 1e6;
}
