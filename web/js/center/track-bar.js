// 轨迹回放: a playback bar at the bottom of the map (#track-bar[data-worker-id]) for one
// worker's local day (UTC+8): date picker (input#track-date, today by default), play and
// pause (button#track-play), speed ×10 / ×60 / ×300, and a time slider across the day's
// fixes (input#track-slider, seconds from the first fix). TrackLayer draws the day; close()
// removes the bar and everything on the map. attachTrackButton() puts a "轨迹回放" button
// in worker popups.
import { apiFetch, errorMessage, isAbort } from '../api.js';
import { applyI18n, onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { TrackLayer } from './track-layer.js';

const SPEEDS = [10, 60, 300];
const UTC8_MS = 8 * 3600 * 1000;
const MAX_AGE_DAYS = 400;

const getTrack = (id, date, signal) =>
  apiFetch(`/api/workers/${encodeURIComponent(id)}/track`, { params: { date }, signal });

/** YYYY-MM-DD of the local day (UTC+8) `days` before now. */
const localDay = (days = 0) => new Date(Date.now() + UTC8_MS - days * 86400000).toISOString().slice(0, 10);

const fmt = (opts) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', ...opts });
const hms = fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hm = fmt({ hour: '2-digit', minute: '2-digit' });

function barHtml(workerId) {
  const speeds = SPEEDS.map((s) => `<button type="button" data-speed="${s}" aria-pressed="${s === 60}">×${s}</button>`).join('');
  return `<section id="track-bar" class="gl-trk" data-worker-id="${esc(workerId)}" data-state="loading">
    <div class="gl-trk__row">
      <strong class="gl-trk__title"></strong>
      <input id="track-date" type="date" min="${localDay(MAX_AGE_DAYS)}" max="${localDay()}" value="${localDay()}"
        data-i18n-attr="aria-label:center.track.date;title:center.track.date">
      <span class="gl-trk__info" role="status" aria-live="polite"></span>
      <button type="button" class="gl-rd__close" data-close data-i18n-attr="title:center.close;aria-label:center.close">×</button>
    </div>
    <div class="gl-trk__row">
      <button type="button" id="track-play" class="gl-trk__play" aria-pressed="false" disabled></button>
      <input id="track-slider" type="range" min="0" max="0" step="1" value="0" disabled
        data-i18n-attr="aria-label:center.track.slider">
      <output class="gl-trk__time">--:--:--</output>
      <div class="gl-seg" role="group" data-i18n-attr="aria-label:center.track.speed;title:center.track.speed">${speeds}</div>
    </div>
  </section>`;
}

export class TrackPlayer {
  /** @param {{map: L.Map, host: HTMLElement}} options  host: the box the map sits in */
  constructor({ map, host }) {
    Object.assign(this, { map, host });
    this.bar = null;
    this.layer = null;
    this.track = null;
    this.speed = 60;
    this.time = 0; // ms, the playback clock
    this._frame = null;
    this._abort = null;
    this._offLang = null;
  }

  /** Show a worker's day ({id, name}); today unless `date` is given. */
  open(worker, date = localDay()) {
    this.close();
    this.worker = worker;
    this.host.insertAdjacentHTML('beforeend', barHtml(worker.id));
    this.bar = this.host.querySelector('#track-bar');
    this.$ = (sel) => this.bar.querySelector(sel);
    this.$('#track-date').value = date;
    this.bar.addEventListener('click', (ev) => this._onClick(ev));
    this.$('#track-date').addEventListener('change', (ev) => ev.target.value && this.load(ev.target.value));
    this.$('#track-slider').addEventListener('input', (ev) => this.seek(this._span().start + ev.target.value * 1000));
    this._offLang = onLangChange(() => this.render());
    applyI18n(this.bar);
    this.load(date);
    return this;
  }

  close() {
    this.pause();
    if (this._abort) this._abort.abort();
    if (this._offLang) this._offLang();
    if (this.layer) this.layer.remove();
    if (this.bar) this.bar.remove();
    this.bar = this.layer = this.track = this._offLang = this._abort = null;
  }

  async load(date) {
    this.pause();
    if (this._abort) this._abort.abort();
    const abort = (this._abort = new AbortController());
    this.bar.dataset.state = 'loading';
    this.error = null;
    this.render();
    try {
      const track = await getTrack(this.worker.id, date, abort.signal);
      if (abort.signal.aborted || !this.bar) return;
      this.show(track);
    } catch (err) {
      if (isAbort(err) || !this.bar) return;
      this.error = err;
      this.bar.dataset.state = 'error';
      this.render();
    }
  }

  show(track) {
    if (this.layer) this.layer.remove();
    this.track = track;
    this.layer = new TrackLayer({ track, clock: (iso) => hm.format(new Date(iso)) }).addTo(this.map);
    const span = this.layer.span();
    this.bar.dataset.state = span ? 'ready' : 'empty';
    const slider = this.$('#track-slider');
    slider.max = span ? String(Math.round((span.end - span.start) / 1000)) : '0';
    slider.disabled = this.$('#track-play').disabled = !span;
    if (span) {
      const bounds = this.layer.trackBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    }
    this.seek(span ? span.start : 0);
  }

  _span() {
    return (this.layer && this.layer.span()) || { start: 0, end: 0 };
  }

  seek(ms) {
    const span = this._span();
    this.time = Math.min(span.end, Math.max(span.start, ms));
    if (this.layer) this.layer.setTime(this.time);
    this.render();
  }

  play() {
    const span = this.layer && this.layer.span();
    if (!span || this._frame) return;
    if (this.time >= span.end) this.seek(span.start);
    let last = performance.now();
    const tick = (now) => {
      this.seek(this.time + (now - last) * this.speed);
      last = now;
      this._follow();
      this._frame = this.time < span.end ? requestAnimationFrame(tick) : null;
      if (!this._frame) this.render();
    };
    this._frame = requestAnimationFrame(tick);
    this.render();
  }

  pause() {
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = null;
    if (this.bar) this.render();
  }

  /** Keep the moving head on screen. */
  _follow() {
    const head = this.layer && this.layer._head;
    if (head && !this.map.getBounds().pad(-0.1).contains(head.getLatLng())) this.map.panTo(head.getLatLng());
  }

  _onClick(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    if (ev.target.closest('#track-play')) return this._frame ? this.pause() : this.play();
    const speed = ev.target.closest('[data-speed]');
    if (speed) {
      this.speed = Number(speed.dataset.speed);
      this.render();
    }
    return undefined;
  }

  render() {
    if (!this.bar) return;
    const { track, bar } = this;
    this.$('.gl-trk__title').textContent = t('center.track.title', { name: this.worker.name || this.worker.id });
    const play = this.$('#track-play');
    const playing = Boolean(this._frame);
    play.setAttribute('aria-pressed', String(playing));
    play.textContent = playing ? '❚❚' : '▶';
    play.title = t(playing ? 'center.track.pause' : 'center.track.play');
    play.setAttribute('aria-label', play.title);
    for (const b of bar.querySelectorAll('[data-speed]')) b.setAttribute('aria-pressed', String(Number(b.dataset.speed) === this.speed));
    const span = this._span();
    this.$('#track-slider').value = String(Math.round((this.time - span.start) / 1000));
    this.$('.gl-trk__time').textContent = bar.dataset.state === 'ready' ? hms.format(new Date(this.time)) : '--:--:--';
    this.$('.gl-trk__info').textContent = this._info(track, bar.dataset.state);
  }

  _info(track, state) {
    if (state === 'loading') return t('center.track.loading');
    if (state === 'error') return errorMessage(this.error);
    if (state === 'empty') return t('center.track.empty');
    const summary = t('center.track.summary', {
      km: (track.distance_m / 1000).toFixed(2), stops: track.stops.length, fixes: track.fixes.length,
    });
    return track.truncated ? `${summary} · ${t('center.track.truncated', { n: track.fixes.length })}` : summary;
  }
}

/** A "轨迹回放" button in every worker popup (markers tagged with data-worker-id). */
export function attachTrackButton(map, player) {
  map.on('popupopen', (ev) => {
    const source = ev.popup._source; // Leaflet keeps the layer a popup is bound to here
    const id = source && source.options.dataset && source.options.dataset.workerId;
    const box = ev.popup.getElement() && ev.popup.getElement().querySelector('.leaflet-popup-content');
    if (id === undefined || id === null || !box || box.querySelector('.gl-trk-open')) return;
    const props = (source.feature && source.feature.properties) || {};
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'gl-btn gl-btn--sm gl-trk-open';
    button.dataset.trackWorker = String(id);
    button.textContent = t('center.track.open');
    button.addEventListener('click', () => {
      map.closePopup(ev.popup);
      player.open({ id, name: props.name || String(id) });
    });
    box.appendChild(button);
  });
}
