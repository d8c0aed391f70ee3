// 告警: the alerts of the workers in the field, in a drawer over the map (#alerts-panel,
// opened from the header button #alerts-open with its count #alerts-count): kind
// (出界 / 离线 / SOS 求助), worker, grid, since when, status, a note, and the buttons to
// acknowledge and close. A click on an alert (or its map marker, or "locate" in the
// SOS banner) pans to the worker and highlights them. mountAlerts() wires the store,
// the drawer, the SOS banner and the map markers together.
import { errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { AlertsLayer } from '../layers/alerts.js';
import { AlertStore, sinceText } from './alert-store.js';
import { SosBanner } from './sos-banner.js';

/** Roles that see and handle alerts on the command page (the API's handlers). */
export const ALERT_ROLES = ['admin', 'operator', 'grid_head'];

export class AlertsPanel extends EventTarget {
  /**
   * @param {{root: HTMLElement, opener: HTMLElement, count: HTMLElement, store: AlertStore}} options
   * Fires 'select' {id} when an alert is clicked.
   */
  constructor({ root, opener, count, store }) {
    super();
    Object.assign(this, { root, opener, count, store });
    this.list = root.querySelector('.gl-alerts__list');
    this.selected = null;
    this._busy = new Set();
    this._notes = new Map(); // alert id → the note being typed (kept across renders)
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onClick = (ev) => this._click(ev);
    this._onKey = (ev) => {
      if (ev.key === 'Enter' && ev.target.matches('.gl-alert')) this._select(Number(ev.target.dataset.alertId));
    };
    this._onInput = (ev) => {
      const item = ev.target.closest('.gl-alert[data-alert-id]');
      if (item && ev.target.matches('.gl-alert__note')) this._notes.set(Number(item.dataset.alertId), ev.target.value);
    };
    this._onChange = () => this.render();
    this._offLang = null;
    this._timer = null;
  }

  mount() {
    this.opener.hidden = false;
    this.opener.addEventListener('click', this._onOpener);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('keydown', this._onKey);
    this.root.addEventListener('input', this._onInput);
    this.store.addEventListener('change', this._onChange);
    this._offLang = onLangChange(() => this.render());
    this._timer = setInterval(() => this.isOpen() && this.render(), 30000);
    this.render();
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('keydown', this._onKey);
    this.root.removeEventListener('input', this._onInput);
    this.store.removeEventListener('change', this._onChange);
    if (this._offLang) this._offLang();
    clearInterval(this._timer);
  }

  isOpen() {
    return !this.root.hidden;
  }

  open() {
    this.root.hidden = false;
    this.opener.setAttribute('aria-expanded', 'true');
    this.render();
  }

  close() {
    this.root.hidden = true;
    this.opener.setAttribute('aria-expanded', 'false');
  }

  /** Mark one alert as the selected one (and open the drawer to show it). */
  setSelected(id) {
    this.selected = id === null ? null : Number(id);
    if (this.selected !== null && !this.isOpen()) this.open();
    else this.render();
    const item = this.selected === null ? null : this.list.querySelector(`.gl-alert[data-alert-id="${this.selected}"]`);
    if (item) item.scrollIntoView({ block: 'nearest' });
  }

  render() {
    const alerts = this.store.list();
    const open = alerts.filter((a) => a.status === 'open').length;
    const sos = alerts.filter((a) => a.kind === 'sos' && a.status === 'open').length;
    this.count.textContent = String(alerts.length);
    this.count.dataset.count = String(alerts.length);
    this.count.dataset.open = String(open);
    this.opener.classList.toggle('has-open', open > 0);
    this.opener.classList.toggle('has-sos', sos > 0);
    this.opener.title = t('alerts.openHint', { count: alerts.length, open });
    if (!this.isOpen()) return;
    const sum = this.root.querySelector('.gl-alerts__sum');
    if (sum) sum.textContent = alerts.length ? t('alerts.summary', { count: alerts.length, open }) : '';
    if (this.store.error && !this.store.loaded) {
      this.list.innerHTML = `<p class="gl-alerts__msg is-error">${esc(errorMessage(this.store.error))}</p>`;
    } else if (!this.store.loaded) {
      this.list.innerHTML = `<p class="gl-alerts__msg">${esc(t('common.loading'))}</p>`;
    } else if (!alerts.length) {
      this.list.innerHTML = `<p class="gl-alerts__msg">${esc(t('alerts.empty'))}</p>`;
    } else {
      const focused = document.activeElement && this.root.contains(document.activeElement)
        ? document.activeElement.closest('.gl-alert__note') : null;
      const refocus = focused ? Number(focused.closest('.gl-alert').dataset.alertId) : null;
      this.list.innerHTML = alerts.map((a) => this._item(a)).join('');
      if (refocus !== null) {
        const input = this.list.querySelector(`.gl-alert[data-alert-id="${refocus}"] .gl-alert__note`);
        if (input) input.focus();
      }
    }
  }

  _item(a) {
    const selected = a.id === this.selected;
    const busy = this._busy.has(a.id) ? ' disabled' : '';
    const grid = this.store.gridName(a.grid_id);
    const since = a.started_at || a.raised_at;
    const note = a.note ? `<p class="gl-alert__said">${esc(a.note)}</p>` : '';
    const input = selected
      ? `<input class="gl-alert__note" maxlength="500" value="${esc(this._notes.get(a.id) || '')}" placeholder="${esc(t('alerts.notePlaceholder'))}" aria-label="${esc(t('alerts.notePlaceholder'))}">`
      : '';
    const ack = a.status === 'open'
      ? `<button type="button" class="gl-btn gl-btn--primary gl-btn--sm" data-action="ack"${busy}>${esc(t('alerts.ack'))}</button>` : '';
    return `<article class="gl-alert gl-alert--${esc(a.kind)}${selected ? ' is-selected' : ''}" data-alert-id="${esc(a.id)}"
      data-kind="${esc(a.kind)}" data-status="${esc(a.status)}" data-worker-id="${esc(a.worker_id)}" tabindex="0" title="${esc(t('alerts.locateHint'))}">
      <div class="gl-alert__top"><span class="gl-alert__kind">${esc(t(`alerts.kind.${a.kind}`))}</span>
        <b class="gl-alert__who">${esc(a.worker_name || '')}</b>
        <span class="gl-alert__status" data-status="${esc(a.status)}">${esc(t(`alerts.status.${a.status}`))}</span></div>
      <p class="gl-alert__meta">${esc(grid || t('alerts.noGrid'))} · <time datetime="${esc(since)}">${esc(sinceText(since))}</time></p>
      ${note}
      <div class="gl-alert__actions">${input}${ack}
        <button type="button" class="gl-btn gl-btn--plain gl-btn--sm" data-action="close"${busy}>${esc(t('alerts.close'))}</button></div>
    </article>`;
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) {
      this.close();
      return;
    }
    const item = ev.target.closest('.gl-alert[data-alert-id]');
    if (!item) return;
    const id = Number(item.dataset.alertId);
    const button = ev.target.closest('button[data-action]');
    if (button) {
      this._act(id, button.dataset.action);
      return;
    }
    if (ev.target.closest('.gl-alert__note')) return;
    this._select(id);
  }

  _select(id) {
    this.dispatchEvent(new CustomEvent('select', { detail: { id } }));
  }

  async _act(id, action) {
    const note = this._notes.get(id) || '';
    this._busy.add(id);
    this.render();
    try {
      if (action === 'ack') await this.store.ack(id, note);
      else await this.store.close(id, note);
      this._notes.delete(id);
      toast(t(action === 'ack' ? 'alerts.acked' : 'alerts.closed'), { kind: 'ok' });
    } catch (err) {
      toast(errorMessage(err), { kind: 'error' });
      this.store.load();
    } finally {
      this._busy.delete(id);
      this.render();
    }
  }
}

/** The worker's marker when it is drawn, online and newer than the alert's position. */
function liveMarker(workers, alert) {
  const marker = workers && workers.getFeatureLayer(alert.worker_id);
  if (!marker || !workers.hasLayer(marker)) return null;
  const p = marker.feature.properties;
  const since = alert.started_at || alert.raised_at;
  if (p.status === 'offline' || (p.fix_time && since && new Date(p.fix_time) < new Date(since))) return null;
  return marker;
}

/** Pan to the alert's worker (their live marker if drawn, else the alert's place) and mark both. */
function makeLocator({ map, store, panel, markers, workers }) {
  let marked = null;
  const markWorker = (workerId) => {
    if (marked) marked.classList.remove('gl-worker--alerted');
    marked = null;
    const marker = workers && workers.getFeatureLayer(workerId);
    const el = marker && marker.getElement();
    if (el) {
      el.classList.add('gl-worker--alerted');
      marked = el;
    }
  };
  return (id) => {
    const alert = store.get(id);
    if (!alert) return;
    panel.setSelected(id);
    markers.focus(id);
    const live = liveMarker(workers, alert);
    const latlng = live ? live.getLatLng() : (Number.isFinite(alert.lat) ? [alert.lat, alert.lon] : null);
    if (!latlng) {
      toast(t('alerts.noPosition'));
      return;
    }
    map.setView(latlng, Math.max(map.getZoom(), 17));
    markWorker(alert.worker_id);
    // the worker may come into the layer only with the new view
    if (!live && workers) workers.once('load', () => markWorker(alert.worker_id));
  };
}

/**
 * @param {object} o
 * @param {L.Map} o.map
 * @param {import('../live.js').LiveClient} o.live
 * @param {L.Layer} [o.workers]   the live workers layer (for their current position)
 */
export function mountAlerts({ map, live, workers }) {
  const $ = (id) => document.getElementById(id);
  const store = new AlertStore({ live });
  const panel = new AlertsPanel({ root: $('alerts-panel'), opener: $('alerts-open'), count: $('alerts-count'), store }).mount();
  const banner = new SosBanner({ root: $('sos-banner'), store }).mount();
  const markers = new AlertsLayer({ store }).addTo(map);
  const locate = makeLocator({ map, store, panel, markers, workers });
  panel.addEventListener('select', (ev) => locate(ev.detail.id));
  banner.addEventListener('locate', (ev) => locate(ev.detail.id));
  markers.on('select', (ev) => locate(ev.id));
  store.mount();
  return { store, panel, banner, markers, locate };
}
