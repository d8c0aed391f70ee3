// 求助: the patroller's SOS button (#sos-button), always on the map. A tap asks for
// confirmation (#sos-dialog, #sos-confirm); holding it for a second sends at once. The
// call (POST /api/sos with the current GPS fix, if any) is kept in localStorage until the
// server has it, so no network means "sent when back online", also after a reload. Then
// the own alert's status is followed (GET /api/alerts, nudged by the live feed):
// #sos-state[data-state=idle|sending|queued|sent|acknowledged|closed|error].
import { apiFetch, errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { isRetryable } from './pending.js';
import { listAlerts } from '../center/alert-store.js';

const HOLD_MS = 1000;
const RETRY_MS = 5000;
const POLL_MS = 5000;

export const postSos = (body) => apiFetch('/api/sos', { method: 'POST', json: body });

export class SosControl {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root     #sos (holds #sos-button and #sos-state)
   * @param {HTMLDialogElement} o.dialog
   * @param {object} o.me            /api/me (username, worker_id)
   * @param {EventTarget} o.live
   * @param {{getLatLng(): ?{lat: number, lng: number}}} o.meLayer
   */
  constructor({ root, dialog, me, live, meLayer }) {
    Object.assign(this, { root, dialog, me, live, meLayer });
    this.button = root.querySelector('#sos-button');
    this.box = root.querySelector('#sos-state');
    this.storageKey = `gridlink.sos.${me.username}`;
    this.state = 'idle';
    this.alert = null; // the own SOS as the server last said
    this.message = '';
    this._hold = null;
    this._held = false;
    this._retry = null;
    this._poll = null;
    this._offLang = null;
    this._onDown = (ev) => this._startHold(ev);
    this._onUp = () => this._endHold();
    this._onClick = (ev) => this._click(ev);
    this._onMenu = (ev) => ev.preventDefault(); // a long press is ours, not the context menu
    this._onDialogClose = () => {
      if (this.dialog.returnValue === 'send') this.send();
    };
    this._onOnline = () => this._flush();
    this._onEvent = (ev) => {
      const msg = ev.detail;
      if (msg && msg.topic === 'alerts' && msg.payload && this.alert && Number(msg.payload.id) === this.alert.id) this.refresh();
    };
  }

  mount() {
    this.button.addEventListener('pointerdown', this._onDown);
    for (const type of ['pointerup', 'pointerleave', 'pointercancel']) this.button.addEventListener(type, this._onUp);
    this.button.addEventListener('contextmenu', this._onMenu);
    this.root.addEventListener('click', this._onClick);
    this.dialog.addEventListener('close', this._onDialogClose);
    window.addEventListener('online', this._onOnline);
    this.live.addEventListener('event', this._onEvent);
    this._offLang = onLangChange(() => this.render());
    const kept = this._load();
    if (kept.alertId) this.alert = { id: kept.alertId, status: 'open' };
    if (kept.pending) this._set('queued');
    else if (this.alert) this._set('sent');
    this.render();
    this._flush();
    if (this.alert) this._follow();
    this._resume();
    return this;
  }

  unmount() {
    this.button.removeEventListener('pointerdown', this._onDown);
    for (const type of ['pointerup', 'pointerleave', 'pointercancel']) this.button.removeEventListener(type, this._onUp);
    this.button.removeEventListener('contextmenu', this._onMenu);
    this.root.removeEventListener('click', this._onClick);
    this.dialog.removeEventListener('close', this._onDialogClose);
    window.removeEventListener('online', this._onOnline);
    this.live.removeEventListener('event', this._onEvent);
    if (this._offLang) this._offLang();
    clearTimeout(this._retry);
    clearInterval(this._poll);
  }

  /** Ask before sending: a stray tap must not call for help. */
  confirm() {
    const nogps = this.dialog.querySelector('#sos-nogps');
    if (nogps) nogps.hidden = Boolean(this.meLayer.getLatLng());
    this.dialog.returnValue = '';
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** Keep the call, then try to deliver it. */
  send() {
    const here = this.meLayer.getLatLng();
    const body = here ? { lon: Number(here.lng.toFixed(6)), lat: Number(here.lat.toFixed(6)) } : {};
    this._save({ ...this._load(), pending: { body, at: new Date().toISOString() } });
    return this._flush();
  }

  async _flush() {
    const kept = this._load();
    if (!kept.pending || this.state === 'sending') return;
    clearTimeout(this._retry);
    let { body } = kept.pending;
    const here = this.meLayer.getLatLng();
    if (body.lon === undefined && here) body = { lon: Number(here.lng.toFixed(6)), lat: Number(here.lat.toFixed(6)) };
    this._set('sending');
    try {
      const alert = await postSos(body);
      this.alert = alert;
      this._save({ alertId: alert.id, pending: null });
      this._set(alert.status === 'acknowledged' ? 'acknowledged' : 'sent');
      this._follow();
    } catch (err) {
      if (isRetryable(err)) {
        this._set('queued');
        this._retry = setTimeout(() => this._flush(), RETRY_MS);
      } else {
        this._save({ ...kept, pending: null });
        this.message = errorMessage(err);
        this._set('error');
      }
    }
  }

  /** Find an own SOS not closed yet (another tab or device may have sent it). */
  async _resume() {
    if (this.me.worker_id === null || this.me.worker_id === undefined) return;
    try {
      const own = (await listAlerts()).find((a) => a.kind === 'sos' && a.worker_id === this.me.worker_id
        && a.status !== 'closed');
      if (own && !this._load().pending) {
        this.alert = own;
        this._save({ alertId: own.id, pending: null });
        this._set(own.status === 'acknowledged' ? 'acknowledged' : 'sent');
        this._follow();
      } else if (this.alert) {
        this.refresh();
      }
    } catch {
      // the next poll or a reload tries again
    }
  }

  _follow() {
    clearInterval(this._poll);
    this._poll = setInterval(() => this.refresh(), POLL_MS);
  }

  /** The own alert's status from the server. */
  async refresh() {
    if (!this.alert) return;
    let alerts;
    try {
      alerts = await listAlerts();
    } catch {
      return; // offline for a moment: the next poll
    }
    const mine = alerts.find((a) => a.id === this.alert.id);
    if (!mine || this.state === 'sending' || this.state === 'queued') return;
    this.alert = mine;
    if (mine.status === 'closed') {
      clearInterval(this._poll);
      this._save({ alertId: null, pending: null });
      this._set('closed');
    } else {
      this._set(mine.status === 'acknowledged' ? 'acknowledged' : 'sent');
    }
  }

  _set(state) {
    this.state = state;
    this.render();
  }

  render() {
    const { state } = this;
    this.root.dataset.state = state;
    this.box.dataset.state = state;
    this.box.hidden = state === 'idle';
    this.button.classList.toggle('is-active', ['sending', 'queued', 'sent'].includes(state));
    const text = this.box.querySelector('.gl-sos-state__text');
    const status = this.box.querySelector('.gl-sos-state__status');
    text.textContent = state === 'idle' ? '' : t(`sos.state.${state}`, { message: this.message });
    const shown = this.alert && ['sent', 'acknowledged', 'closed'].includes(state);
    status.hidden = !shown;
    status.textContent = shown ? t('sos.status', { status: t(`alerts.status.${this.alert.status || 'open'}`) }) : '';
    this.box.querySelector('#sos-retry').hidden = !['queued', 'error'].includes(state);
    this.box.querySelector('#sos-dismiss').hidden = !['closed', 'error'].includes(state);
  }

  _click(ev) {
    if (ev.target.closest('#sos-retry')) {
      if (this.state === 'error') this.confirm();
      else this._flush();
      return;
    }
    if (ev.target.closest('#sos-dismiss')) {
      this.message = '';
      this._set('idle');
      return;
    }
    if (!ev.target.closest('#sos-button')) return;
    if (this._held) {
      this._held = false; // the hold already sent it
      return;
    }
    this.confirm();
  }

  _startHold(ev) {
    if (ev.button !== undefined && ev.button !== 0) return;
    this._held = false;
    this.button.classList.add('is-holding');
    clearTimeout(this._hold);
    this._hold = setTimeout(() => {
      this._hold = null;
      this._held = true;
      this.button.classList.remove('is-holding');
      if (navigator.vibrate) navigator.vibrate(200);
      this.send();
    }, HOLD_MS);
  }

  _endHold() {
    clearTimeout(this._hold);
    this._hold = null;
    this.button.classList.remove('is-holding');
  }

  _load() {
    try {
      const kept = JSON.parse(window.localStorage.getItem(this.storageKey) || 'null');
      if (kept && typeof kept === 'object') return kept;
    } catch {
      // unreadable: as if nothing was kept
    }
    return this._memory || { alertId: null, pending: null };
  }

  _save(value) {
    this._memory = value;
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(value));
    } catch {
      // storage unavailable: kept for as long as the page lives
    }
  }
}
