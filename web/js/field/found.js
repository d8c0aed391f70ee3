// 上报问题: the patroller's own finding (POST /api/reports/found). The place is my
// position until I tap the map (or drag the pin); "现场已处置" reveals the result note
// and photo and closes the report in one go. The submission is kept with its
// Idempotency-Key until the server confirms it: after a failure the form stays locked
// on that very submission and "重新发送" sends it again (also after a reload).
import { postFound } from './api.js';
import { CategorySelect } from './categories.js';
import { coords, friendlyError } from './format.js';
import { PendingSubmission, isRetryable } from './pending.js';
import { PhotoPicker } from './photos.js';
import { PickLayer } from './pick.js';
import { t, onLangChange } from '../i18n.js';
import { toast } from '../controls/toast.js';

const byId = (id) => document.getElementById(id);

export class FoundForm extends EventTarget {
  /**
   * @param {object} options
   * @param {L.Map} options.map  @param {MeLayer} options.meLayer  @param {object} options.me
   * @param {object[]} options.categories
   */
  constructor(options) {
    super();
    this.options = options;
    this.form = byId('found-form');
    this.pending = new PendingSubmission(`gridlink.pending.found.${options.me.username}`);
    this.place = { source: 'device' }; // or {source: 'map', latlng}
    this.sending = false;
    this.pick = new PickLayer();
    this.category = new CategorySelect(byId('found-category'), options.categories);
    this.photos = new PhotoPicker({ inputs: [byId('found-photo'), byId('found-photo-album')], strip: byId('found-photos') });
    this.result = new PhotoPicker({ inputs: [byId('found-result-photo')], strip: byId('found-result-photos'), kind: 'result' });
    this.pick.on('pick', ({ latlng }) => {
      this.place = { source: 'map', latlng };
      this.renderPlace();
    });
    options.meLayer.on('fix', () => this.renderPlace());
    onLangChange(() => this.render());
  }

  mount() {
    this.category.mount();
    this.photos.mount();
    this.result.mount();
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    byId('found-use-me').addEventListener('click', () => {
      this.place = { source: 'device' };
      this.renderPlace();
      const here = this.options.meLayer.getLatLng();
      if (here) this.options.map.panTo(here);
    });
    byId('found-fixed').addEventListener('change', () => {
      byId('found-result').hidden = !byId('found-fixed').checked;
    });
    byId('found-resend').addEventListener('click', () => this.resend());
    byId('found-discard').addEventListener('click', () => {
      this.pending.clear();
      this.render();
    });
    window.addEventListener('online', () => {
      if (this.pending.get() && !this.sending) this.resend();
    });
    this.render();
    return this;
  }

  /** The tab is shown (true) or hidden: only then does a tap on the map move the place. */
  setActive(active) {
    if (active && !this.options.map.hasLayer(this.pick)) this.pick.addTo(this.options.map);
    if (!active && this.options.map.hasLayer(this.pick)) this.options.map.removeLayer(this.pick);
    if (active) this.renderPlace();
  }

  latlng() {
    return this.place.source === 'map' ? this.place.latlng : this.options.meLayer.getLatLng();
  }

  renderPlace() {
    const latlng = this.latlng();
    const out = byId('found-location');
    out.dataset.source = latlng ? this.place.source : 'none';
    const fix = this.options.meLayer.lastFix;
    if (!latlng) out.textContent = t('field.place.none');
    else if (this.place.source === 'map') out.textContent = t('field.place.map', { coords: coords(latlng.lat, latlng.lng) });
    else out.textContent = t('field.place.device', { accuracy: Math.round((fix && fix.accuracy) || 0) });
    byId('found-use-me').hidden = this.place.source !== 'map';
    if (this.options.map.hasLayer(this.pick)) this.pick.setLatLng(latlng);
  }

  render() {
    const kept = this.pending.get();
    byId('found-pending').hidden = !kept;
    this.form.querySelector('fieldset').disabled = Boolean(kept) || this.sending;
    byId('found-submit').textContent = t(this.sending ? 'field.form.sending' : 'field.found.submit');
    this.renderPlace();
  }

  body() {
    const latlng = this.latlng();
    const fix = this.options.meLayer.lastFix;
    const fixed = byId('found-fixed').checked;
    const body = {
      category: this.category.value,
      description: byId('found-description').value.trim(),
      photos: this.photos.tokens(),
      location_source: this.place.source === 'map' ? 'map' : 'device',
      fixed,
    };
    if (latlng) Object.assign(body, { lon: +latlng.lng.toFixed(7), lat: +latlng.lat.toFixed(7) });
    if (this.place.source !== 'map' && fix && Number.isFinite(fix.accuracy)) body.accuracy_m = Math.round(fix.accuracy);
    if (fixed) Object.assign(body, { result_note: byId('found-result-note').value.trim(), result_photos: this.result.tokens() });
    return body;
  }

  /** A message for the first thing missing, or ''. */
  check(body) {
    if (!body.category) return ['found-category', t('field.form.needCategory')];
    if (body.description.length < 2) return ['found-description', t('field.form.needDescription')];
    if (this.photos.busy || this.result.busy) return [null, t('field.photo.wait')];
    if (body.lon === undefined) return [null, t('field.place.need')];
    if (body.fixed && (body.result_note || '').length < 2) return ['found-result-note', t('field.resolve.needNote')];
    if (body.fixed && !body.result_photos.length) return [null, t('field.resolve.needPhoto')];
    return null;
  }

  submit() {
    if (this.sending || this.pending.get()) return;
    const body = this.body();
    const problem = this.check(body);
    if (problem) {
      this._error(problem[1]);
      if (problem[0]) byId(problem[0]).focus();
      return;
    }
    this._send(body);
  }

  resend() {
    const kept = this.pending.get();
    if (kept && !this.sending) this._send(kept.body);
  }

  async _send(body) {
    this._error('');
    this.sending = true;
    this.render();
    try {
      const created = await this.pending.send(body, postFound);
      toast(t(body.fixed ? 'field.found.doneFixed' : 'field.found.done', { id: created.id }), { kind: 'ok' });
      this.reset();
      this.dispatchEvent(new CustomEvent('done', { detail: { created } }));
    } catch (err) {
      if (!isRetryable(err)) this._error(friendlyError(err)); // else the banner offers to resend
    } finally {
      this.sending = false;
      this.render();
    }
  }

  reset() {
    this.category.reset();
    byId('found-description').value = '';
    byId('found-result-note').value = '';
    byId('found-fixed').checked = false;
    byId('found-result').hidden = true;
    this.photos.clear();
    this.result.clear();
    this.place = { source: 'device' };
  }

  _error(message) {
    const el = byId('found-error');
    el.textContent = message;
    el.hidden = !message;
  }
}
