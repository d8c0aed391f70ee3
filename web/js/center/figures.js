// 数据: figures per street, community or grid over the last N days (GET /api/figures),
// in a panel over the map (#figures-panel, markup in index.html). Headers sort, a row
// zooms the map to its unit (GET /api/grids/{id}); `reports` events refresh it (2 s).
import { errorMessage, isAbort } from '../api.js';
import { t } from '../i18n.js';
import { esc } from '../util.js';
import { getFigures } from './api.js';
import { MapPanel } from './panel.js';
import { sortHeads, sortRows } from './sort-table.js';

const LEVELS = ['street', 'community', 'grid'];
const COLUMNS = [
  { key: 'name', label: () => t('center.figures.name'), text: true },
  { key: 'received', label: () => t('center.figures.received') },
  { key: 'completion_rate', label: () => t('center.figures.completion'), rate: true },
  { key: 'on_time_rate', label: () => t('center.figures.onTime'), rate: true },
  { key: 'satisfaction_rate', label: () => t('center.figures.satisfaction'), rate: true },
  { key: 'overdue_now', label: () => t('center.figures.overdue') },
];
const FOCUS_STYLE = { color: '#f59e0b', weight: 4, dashArray: '8 6', fillColor: '#f59e0b', fillOpacity: 0.08, interactive: false };

/** "81.6%", or "—" when there was nothing to divide by. */
export function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

export class FiguresPanel extends MapPanel {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor(options) {
    super(options, {
      topic: 'reports', picker: '#figures-parent', rows: 'tr.gl-figures-row', rowId: 'id', columns: COLUMNS,
      focus: { edge: 'bottom', style: { ...FOCUS_STYLE, className: 'gl-figures-focus' } },
    });
    this.level = this.root.dataset.level || 'community';
    this.days = Number(this.root.dataset.days) || 30;
    this.parentId = null;
    this.rows = null;
    this.error = null;
    this.communities = [];
    this.sort = null; // {key, dir}
    this.body = this.root.querySelector('.gl-fig__body');
  }

  setLevel(level) {
    if (!LEVELS.includes(level) || level === this.level) return undefined;
    this.level = level;
    this.rows = null;
    this.selected = null;
    this.focus.clear();
    this.render();
    return this.load();
  }

  setDays(days) {
    if (days === this.days) return undefined;
    this.days = days;
    this.render();
    return this.load();
  }

  /** The community whose grids the grid level lists (null: all). */
  setCommunity(id) {
    this.parentId = id;
    this.rows = null;
    this.render();
    return this.load();
  }

  async load() {
    try {
      const grid = this.level === 'grid';
      const [rows, communities] = await this._fetch((signal) => Promise.all([
        getFigures({ level: this.level, days: this.days, parentId: grid ? this.parentId : null }, signal),
        grid && !this.communities.length ? getFigures({ level: 'community', days: 1 }, signal) : null,
      ]));
      if (communities) this.communities = communities;
      if (this.level === 'community') this.communities = rows;
      this.rows = rows;
      this.error = null;
      this.loadedAt = new Date();
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    }
    this.render();
  }

  render() {
    this.root.dataset.level = this.level;
    this.root.dataset.days = String(this.days);
    for (const b of this.root.querySelectorAll('[data-set-level]')) b.setAttribute('aria-pressed', String(b.dataset.setLevel === this.level));
    for (const b of this.root.querySelectorAll('[data-set-days]')) {
      const n = Number(b.dataset.setDays);
      b.textContent = t('center.figures.days', { n });
      b.title = t('center.figures.lastDays', { n });
      b.setAttribute('aria-pressed', String(n === this.days));
    }
    this._renderParent();
    this._fillBody(this._table() + this._foot());
  }

  _renderParent() {
    const show = this.level === 'grid';
    this.picker.hidden = !show;
    if (!show) return;
    this._fillPicker(this.communities, { all: t('center.figures.allCommunities'), selectedId: this.parentId });
  }

  _table() {
    if (this.error && !this.rows) return `<p class="gl-fig__msg is-error">${esc(errorMessage(this.error))}</p>`;
    if (!this.rows) return `<p class="gl-fig__msg">${esc(t('common.loading'))}</p>`;
    if (!this.rows.length) return `<p class="gl-fig__msg">${esc(t('center.figures.empty'))}</p>`;
    const head = sortHeads(COLUMNS, this.sort);
    const rows = this.sort ? sortRows(this.rows, this.sort) : this.rows;
    const body = rows.map((r) => this._row(r)).join('');
    return `<table class="gl-fig__table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  _row(r) {
    const cells = COLUMNS.map((c) => {
      const v = r[c.key];
      if (c.text) return `<td class="gl-fig__name">${esc(v)}</td>`;
      if (c.rate) {
        const bar = v === null || v === undefined ? '' : ` style="--v:${Math.round(v * 100)}%"`;
        return `<td class="num"><span class="gl-rate"${bar}>${esc(percent(v))}</span></td>`;
      }
      const alert = c.key === 'overdue_now' && v > 0 ? ' is-overdue' : '';
      return `<td class="num${alert}">${esc(v)}</td>`;
    }).join('');
    const selected = String(r.id) === String(this.selected) ? ' is-selected' : '';
    return `<tr class="gl-figures-row${selected}" data-id="${esc(r.id)}" data-level="${esc(r.level)}" tabindex="0"`
      + ` title="${esc(t('center.figures.zoom'))}">${cells}</tr>`;
  }

  _foot() {
    if (!this.rows) return '';
    return this._footLine((time) => t('center.figures.foot', { n: this.days, time }));
  }

  _click(ev) {
    const level = ev.target.closest('[data-set-level]');
    if (level) return this.setLevel(level.dataset.setLevel);
    const days = ev.target.closest('[data-set-days]');
    if (days) return this.setDays(Number(days.dataset.setDays));
    return super._click(ev);
  }
}
