// The red banner across the top of the command center (#sos-banner): one row per SOS
// nobody has responded to yet (`.gl-sos[data-alert-id]`), with the worker, the grid,
// the time, "locate" and "respond" buttons. It stays until the SOS is acknowledged or
// closed. A new SOS from the feed beeps once (WebAudio, no sound file).
import { errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { sinceText } from './alert-store.js';
import { toast } from '../controls/toast.js';

/** A short two-tone beep; silently nothing when the browser does not allow sound yet. */
export function beep() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.gain.value = 0.08;
    gain.connect(ctx.destination);
    [880, 660, 880].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.18);
      osc.stop(ctx.currentTime + i * 0.18 + 0.14);
    });
    setTimeout(() => ctx.close(), 1000);
  } catch {
    // no audio: the banner is the alarm
  }
}

export class SosBanner extends EventTarget {
  /**
   * @param {{root: HTMLElement, store: import('./alert-store.js').AlertStore, sound?: boolean}} options
   * Fires 'locate' {id}.
   */
  constructor({ root, store, sound = true }) {
    super();
    Object.assign(this, { root, store, sound });
    this._busy = new Set();
    this._onChange = () => this.render();
    this._onRaised = (ev) => {
      if (this.sound && ev.detail.alert.kind === 'sos') beep();
    };
    this._onClick = (ev) => this._click(ev);
    this._offLang = null;
    this._timer = null;
  }

  mount() {
    this.store.addEventListener('change', this._onChange);
    this.store.addEventListener('raised', this._onRaised);
    this.root.addEventListener('click', this._onClick);
    this._offLang = onLangChange(() => this.render());
    this._timer = setInterval(() => this.render(), 30000); // "3 minutes ago" moves on
    this.render();
    return this;
  }

  unmount() {
    this.store.removeEventListener('change', this._onChange);
    this.store.removeEventListener('raised', this._onRaised);
    this.root.removeEventListener('click', this._onClick);
    if (this._offLang) this._offLang();
    clearInterval(this._timer);
  }

  render() {
    const sos = this.store.openSos();
    this.root.hidden = !sos.length;
    this.root.dataset.count = String(sos.length);
    if (!sos.length) {
      this.root.innerHTML = '';
      return;
    }
    const head = sos.length > 1
      ? `<p class="gl-sos-banner__count">${esc(t('alerts.sosCount', { count: sos.length }))}</p>` : '';
    this.root.innerHTML = head + sos.map((a) => this._row(a)).join('');
  }

  _row(a) {
    const grid = this.store.gridName(a.grid_id);
    const since = a.started_at || a.raised_at;
    const busy = this._busy.has(a.id) ? ' disabled' : '';
    const where = Number.isFinite(a.lon) ? '' : ` <span class="gl-sos__nopos">${esc(t('alerts.noPosition'))}</span>`;
    return `<div class="gl-sos" data-alert-id="${esc(a.id)}">
      <span class="gl-sos__icon" aria-hidden="true">SOS</span>
      <span class="gl-sos__text"><b class="gl-sos__name">${esc(t('alerts.sosBanner', { name: a.worker_name || '' }))}</b>
        <span class="gl-sos__meta">${esc(grid || t('alerts.noGrid'))} · <time datetime="${esc(since)}" title="${esc(formatTime(since))}">${esc(sinceText(since))}</time>${where}</span></span>
      <button type="button" class="gl-btn gl-btn--sm gl-sos__locate" data-action="locate">${esc(t('alerts.locate'))}</button>
      <button type="button" class="gl-btn gl-btn--sm gl-sos__ack" data-action="ack"${busy}>${esc(t('alerts.ack'))}</button>
    </div>`;
  }

  async _click(ev) {
    const button = ev.target.closest('button[data-action]');
    const row = ev.target.closest('.gl-sos[data-alert-id]');
    if (!button || !row) return;
    const id = Number(row.dataset.alertId);
    if (button.dataset.action === 'locate') {
      this.dispatchEvent(new CustomEvent('locate', { detail: { id } }));
      return;
    }
    this._busy.add(id);
    button.disabled = true;
    try {
      await this.store.ack(id);
      toast(t('alerts.acked'), { kind: 'ok' });
    } catch (err) {
      toast(errorMessage(err), { kind: 'error' });
      this.store.load(); // e.g. 409: another desk was quicker
    } finally {
      this._busy.delete(id);
      this.render();
    }
  }
}
