// 巡查日报: the daily patrol coverage report (GET /api/coverage/report) in a panel over
// the map (#coverage-report, markup in index.html), opened from the desk's tools
// (#coverage-open). Per community: how many grids were patrolled of all, and the grids
// not patrolled that day with the hours since they last were. A grid zooms the map to
// it; "print" prints the report alone (css/coverage.css). `coverage` events refresh it.
import { apiFetch, errorMessage, isAbort } from '../api.js';
import { pick, t } from '../i18n.js';
import { esc } from '../util.js';
import { hoursText } from '../layers/coverage.js';
import { MapPanel } from './panel.js';

const FOCUS_STYLE = { color: '#dc2626', weight: 4, dashArray: '8 6', fillColor: '#dc2626', fillOpacity: 0.08, interactive: false };

export const getCoverageReport = (params, signal) => apiFetch('/api/coverage/report', { params, signal });

export class CoverageReport extends MapPanel {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor(options) {
    super(options, {
      topic: 'coverage', picker: '#coverage-report-community', rows: '.gl-cov-missed', rowId: 'gridId',
      focus: { edge: 'right', style: { ...FOCUS_STYLE, className: 'gl-coverage-focus' } },
    });
    this.body = this.root.querySelector('.gl-covr__body');
    this.dayInput = this.root.querySelector('#coverage-report-day');
    this.day = null; // null: the server's today
    this.communityId = null;
    this.communities = []; // every community seen, for the picker
    this.report = null;
    this.error = null;
    this._onDay = () => {
      this.day = this.dayInput.value || null;
      this.load();
    };
    this._afterPrint = () => document.body.classList.remove('gl-print-coverage');
  }

  mount() {
    this.dayInput.addEventListener('change', this._onDay);
    window.addEventListener('afterprint', this._afterPrint);
    return super.mount();
  }

  unmount() {
    this.dayInput.removeEventListener('change', this._onDay);
    window.removeEventListener('afterprint', this._afterPrint);
    super.unmount();
  }

  setCommunity(id) {
    this.communityId = id;
    return this.load();
  }

  async load() {
    try {
      const report = await this._fetch((signal) => getCoverageReport({ day: this.day, community_id: this.communityId }, signal));
      this.report = report;
      this.error = null;
      if (!this.day) this.day = report.day;
      if (this.communityId === null) this.communities = report.communities.map(({ id, name, name_en }) => ({ id, name, name_en }));
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    }
    this.render();
  }

  render() {
    this.root.dataset.day = this.day || '';
    this.root.dataset.state = this.error ? 'error' : this.report ? 'ready' : 'loading';
    this.dayInput.value = this.day || '';
    const names = this.communities.map((c) => ({ id: c.id, name: pick(c.name, c.name_en) }));
    this._fillPicker(names, { all: t('coverage.report.allCommunities'), selectedId: this.communityId });
    this._fillBody(this._content());
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
    if (ev.target.closest('#coverage-print')) return this.print();
    return super._click(ev);
  }

  print() {
    document.body.classList.add('gl-print-coverage');
    window.print();
  }
}
