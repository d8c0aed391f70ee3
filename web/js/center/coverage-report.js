// 巡查日报: the daily patrol coverage report (GET /api/coverage/report) in a panel over
// the map (#coverage-report, markup in index.html), opened from the desk's tools
// (#coverage-open). Per community: how many grids were patrolled of all, and the grids
// not patrolled that day with the hours since they last were. A grid zooms the map to
// it; "print" prints the report alone (css/coverage.css). `coverage` events refresh it.
import { L } from 'leaflet';
import { apiFetch, errorMessage, getGrid, isAbort } from '../api.js';
import { onLangChange, pick, t } from '../i18n.js';
import { debounce, esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { hoursText } from '../layers/coverage.js';

const FOCUS_STYLE = { color: '#dc2626', weight: 4, dashArray: '8 6', fillColor: '#dc2626', fillOpacity: 0.08, interactive: false };

export const getCoverageReport = (params, signal) => apiFetch('/api/coverage/report', { params, signal });

export class CoverageReport {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor({ root, opener, map, live }) {
    Object.assign(this, { root, opener, map, live });
    this.body = root.querySelector('.gl-covr__body');
    this.dayInput = root.querySelector('#coverage-report-day');
    this.communitySelect = root.querySelector('#coverage-report-community');
    this.day = null; // null: the server's today
    this.communityId = null;
    this.communities = []; // every community seen, for the picker
    this.report = null;
    this.error = null;
    this.selected = null;
    this.focus = null;
    this._controller = null;
    this._refresh = debounce(() => this.load(), 2000);
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onClick = (ev) => this._click(ev);
    this._onKey = (ev) => {
      if (ev.key === 'Enter' && ev.target.matches('.gl-cov-missed')) this._click(ev);
    };
    this._onDay = () => {
      this.day = this.dayInput.value || null;
      this.load();
    };
    this._onCommunity = () => {
      this.communityId = this.communitySelect.value ? Number(this.communitySelect.value) : null;
      this.load();
    };
    this._onEvent = (ev) => {
      if (this.isOpen() && ev.detail && ev.detail.topic === 'coverage') this._refresh();
    };
    this._afterPrint = () => document.body.classList.remove('gl-print-coverage');
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('keydown', this._onKey);
    this.dayInput.addEventListener('change', this._onDay);
    this.communitySelect.addEventListener('change', this._onCommunity);
    this.live.addEventListener('event', this._onEvent);
    window.addEventListener('afterprint', this._afterPrint);
    this._offLang = onLangChange(() => this.render());
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('keydown', this._onKey);
    this.dayInput.removeEventListener('change', this._onDay);
    this.communitySelect.removeEventListener('change', this._onCommunity);
    this.live.removeEventListener('event', this._onEvent);
    window.removeEventListener('afterprint', this._afterPrint);
    if (this._offLang) this._offLang();
    this.close();
  }

  isOpen() {
    return !this.root.hidden;
  }

  open() {
    this.root.hidden = false;
    this.opener.setAttribute('aria-pressed', 'true');
    this.render();
    return this.load();
  }

  close() {
    this.root.hidden = true;
    this.opener.setAttribute('aria-pressed', 'false');
    this._refresh.cancel();
    if (this._controller) this._controller.abort();
    this._unfocus();
  }

  async load() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const report = await getCoverageReport({ day: this.day, community_id: this.communityId }, controller.signal);
      if (controller.signal.aborted) return;
      this.report = report;
      this.error = null;
      if (!this.day) this.day = report.day;
      if (this.communityId === null) this.communities = report.communities.map(({ id, name, name_en }) => ({ id, name, name_en }));
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this._controller === controller) this._controller = null;
    }
    this.render();
  }

  render() {
    this.root.dataset.day = this.day || '';
    this.root.dataset.state = this.error ? 'error' : this.report ? 'ready' : 'loading';
    this.dayInput.value = this.day || '';
    const options = [`<option value="">${esc(t('coverage.report.allCommunities'))}</option>`]
      .concat(this.communities.map((c) => `<option value="${esc(c.id)}">${esc(pick(c.name, c.name_en))}</option>`));
    this.communitySelect.innerHTML = options.join('');
    this.communitySelect.value = this.communityId === null ? '' : String(this.communityId);
    const scroll = this.body.scrollTop;
    this.body.innerHTML = this._content();
    this.body.scrollTop = scroll;
  }

  _content() {
    if (this.error && !this.report) return `<p class="gl-covr__msg is-error">${esc(errorMessage(this.error))}</p>`;
    if (!this.report) return `<p class="gl-covr__msg">${esc(t('common.loading'))}</p>`;
    const list = this.report.communities || [];
    if (!list.length) return `<p class="gl-covr__msg">${esc(t('coverage.report.empty'))}</p>`;
    const total = list.reduce((n, c) => n + c.grids_total, 0);
    const done = list.reduce((n, c) => n + c.patrolled_count, 0);
    const head = `<p class="gl-covr__sum">${esc(t('coverage.report.summary', { day: this.report.day, done, total }))}</p>`;
    return head + list.map((c) => this._community(c)).join('');
  }

  _community(c) {
    const share = c.grids_total ? Math.round((c.patrolled_count / c.grids_total) * 100) : 0;
    const missed = c.not_patrolled || [];
    const rows = missed.map((g) => {
      const selected = String(g.grid_id) === String(this.selected) ? ' is-selected' : '';
      return `<li class="gl-cov-missed${selected}" data-grid-id="${esc(g.grid_id)}" tabindex="0" title="${esc(t('coverage.report.zoom'))}">
        <span class="gl-cov-missed__name">${esc(pick(g.name, g.name_en))}</span>
        <span class="gl-cov-missed__code">${esc(g.code || '')}</span>
        <span class="gl-cov-missed__since" data-hours="${esc(g.hours_since ?? '')}">${esc(hoursText(g.hours_since))}</span></li>`;
    }).join('');
    const all = missed.length ? '' : `<p class="gl-covr__all">${esc(t('coverage.report.allDone'))}</p>`;
    return `<section class="gl-cov-community" data-community-id="${esc(c.id)}" data-patrolled="${esc(c.patrolled_count)}" data-total="${esc(c.grids_total)}">
      <header><h3>${esc(pick(c.name, c.name_en))}</h3>
        <span class="gl-cov-community__count">${esc(t('coverage.report.count', { done: c.patrolled_count, total: c.grids_total }))}</span></header>
      <div class="gl-cov-bar" style="--v:${share}%"></div>
      ${missed.length ? `<h4>${esc(t('coverage.report.missed', { count: missed.length }))}</h4><ul>${rows}</ul>` : all}
    </section>`;
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    if (ev.target.closest('#coverage-print')) return this.print();
    const row = ev.target.closest('.gl-cov-missed[data-grid-id]');
    if (row) return this.zoomTo(Number(row.dataset.gridId));
    return undefined;
  }

  print() {
    document.body.classList.add('gl-print-coverage');
    window.print();
  }

  /** Outline the grid and fit it into the part of the map the panel leaves free. */
  async zoomTo(id) {
    this.selected = id;
    for (const li of this.body.querySelectorAll('.gl-cov-missed')) li.classList.toggle('is-selected', li.dataset.gridId === String(id));
    try {
      const feature = await getGrid(id);
      if (this.selected !== id || !this.isOpen()) return;
      this._unfocus();
      this.focus = L.geoJSON(feature, { style: () => ({ ...FOCUS_STYLE, className: 'gl-coverage-focus' }) }).addTo(this.map);
      const bounds = this.focus.getBounds();
      if (!bounds.isValid()) return;
      const covered = this.root.offsetWidth + 24;
      this.map.fitBounds(bounds, { paddingTopLeft: [32, 32], paddingBottomRight: [covered, 32], maxZoom: 17 });
    } catch (err) {
      if (!isAbort(err)) toast(errorMessage(err), { kind: 'error' });
    }
  }

  _unfocus() {
    if (this.focus) this.focus.remove();
    this.focus = null;
  }
}
