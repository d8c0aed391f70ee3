// 数据: figures per street, community or grid over the last N days (GET /api/figures),
// in a panel over the map (#figures-panel, markup in index.html). Headers sort, a row
// zooms the map to its unit (GET /api/grids/{id}); `reports` events refresh it (2 s).
import { L } from 'leaflet';
import { errorMessage, getGrid, isAbort } from '../api.js';
import { getLang, onLangChange, t } from '../i18n.js';
import { debounce, esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { getFigures } from './api.js';

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

function compare(key, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1; // nulls last
    if (y === null || y === undefined) return -1;
    return sign * (typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y);
  };
}

export class FiguresPanel {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor({ root, opener, map, live }) {
    Object.assign(this, { root, opener, map, live });
    this.level = root.dataset.level || 'community';
    this.days = Number(root.dataset.days) || 30;
    this.parentId = null;
    this.rows = null;
    this.error = null;
    this.communities = [];
    this.sort = null; // {key, dir}
    this.selected = null;
    this.loadedAt = null;
    this.focus = null;
    this.body = root.querySelector('.gl-fig__body');
    this.parentSelect = root.querySelector('#figures-parent');
    this._controller = null;
    this._refresh = debounce(() => this.load(), 2000);
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onClick = (ev) => this._click(ev);
    this._onKey = (ev) => {
      if (ev.key === 'Enter' && ev.target.matches('tr.gl-figures-row')) this._click(ev);
    };
    this._onParent = () => this.setParent(this.parentSelect.value ? Number(this.parentSelect.value) : null);
    this._onEvent = (ev) => {
      if (this.isOpen() && ev.detail && ev.detail.topic === 'reports') this._refresh();
    };
    this._onReset = () => this.isOpen() && this._refresh();
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('keydown', this._onKey);
    this.parentSelect.addEventListener('change', this._onParent);
    this.live.addEventListener('event', this._onEvent);
    this.live.addEventListener('reset', this._onReset);
    this._offLang = onLangChange(() => this.render());
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('keydown', this._onKey);
    this.parentSelect.removeEventListener('change', this._onParent);
    this.live.removeEventListener('event', this._onEvent);
    this.live.removeEventListener('reset', this._onReset);
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

  setLevel(level) {
    if (!LEVELS.includes(level) || level === this.level) return undefined;
    this.level = level;
    this.rows = null;
    this.selected = null;
    this._unfocus();
    this.render();
    return this.load();
  }

  setDays(days) {
    if (days === this.days) return undefined;
    this.days = days;
    this.render();
    return this.load();
  }

  setParent(id) {
    this.parentId = id;
    this.rows = null;
    this.render();
    return this.load();
  }

  async load() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    const { signal } = controller;
    try {
      const grid = this.level === 'grid';
      const [rows, communities] = await Promise.all([
        getFigures({ level: this.level, days: this.days, parentId: grid ? this.parentId : null }, signal),
        grid && !this.communities.length ? getFigures({ level: 'community', days: 1 }, signal) : null,
      ]);
      if (signal.aborted) return;
      if (communities) this.communities = communities;
      if (this.level === 'community') this.communities = rows;
      this.rows = rows;
      this.error = null;
      this.loadedAt = new Date();
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this._controller === controller) this._controller = null;
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
    const scroll = this.body.scrollTop; // a live refresh keeps the reader's place
    this.body.innerHTML = this._table() + this._foot();
    this.body.scrollTop = scroll;
  }

  _renderParent() {
    const show = this.level === 'grid';
    this.parentSelect.hidden = !show;
    if (!show) return;
    const options = [`<option value="">${esc(t('center.figures.allCommunities'))}</option>`]
      .concat(this.communities.map((c) => `<option value="${esc(c.id)}">${esc(c.name)}</option>`));
    this.parentSelect.innerHTML = options.join('');
    this.parentSelect.value = this.parentId === null ? '' : String(this.parentId);
  }

  _table() {
    if (this.error && !this.rows) return `<p class="gl-fig__msg is-error">${esc(errorMessage(this.error))}</p>`;
    if (!this.rows) return `<p class="gl-fig__msg">${esc(t('common.loading'))}</p>`;
    if (!this.rows.length) return `<p class="gl-fig__msg">${esc(t('center.figures.empty'))}</p>`;
    const head = COLUMNS.map((c) => {
      const on = this.sort && this.sort.key === c.key;
      const aria = on ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
      return `<th scope="col" class="${c.text ? '' : 'num'}" data-sort="${c.key}" aria-sort="${aria}">`
        + `<button type="button">${esc(c.label())}<i class="gl-sort" aria-hidden="true"></i></button></th>`;
    }).join('');
    const rows = this.sort ? [...this.rows].sort(compare(this.sort.key, this.sort.dir)) : this.rows;
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
    const at = this.loadedAt ? this.loadedAt.toLocaleTimeString(getLang(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
    const stale = this.error ? ` · <span class="is-error">${esc(errorMessage(this.error))}</span>` : '';
    return `<p class="gl-fig__foot">${esc(t('center.figures.foot', { n: this.days, time: at }))}${stale}</p>`;
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    const level = ev.target.closest('[data-set-level]');
    if (level) return this.setLevel(level.dataset.setLevel);
    const days = ev.target.closest('[data-set-days]');
    if (days) return this.setDays(Number(days.dataset.setDays));
    const th = ev.target.closest('th[data-sort]');
    if (th) return this._sortBy(th.dataset.sort);
    const row = ev.target.closest('tr.gl-figures-row[data-id]');
    if (row) return this.zoomTo(Number(row.dataset.id));
    return undefined;
  }

  _sortBy(key) {
    const text = COLUMNS.find((c) => c.key === key).text;
    if (this.sort && this.sort.key === key) this.sort = { key, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' };
    else this.sort = { key, dir: text ? 'asc' : 'desc' };
    this.render();
  }

  /** Outline the unit and fit it into the part of the map the panel leaves free. */
  async zoomTo(id) {
    this.selected = id;
    for (const tr of this.body.querySelectorAll('tr.gl-figures-row')) tr.classList.toggle('is-selected', tr.dataset.id === String(id));
    try {
      const feature = await getGrid(id);
      if (this.selected !== id || !this.isOpen()) return;
      this._unfocus();
      this.focus = L.geoJSON(feature, { style: () => ({ ...FOCUS_STYLE, className: 'gl-figures-focus' }) }).addTo(this.map);
      const bounds = this.focus.getBounds();
      if (!bounds.isValid()) return;
      const covered = this.root.offsetHeight + 24;
      this.map.fitBounds(bounds, { paddingTopLeft: [32, 32], paddingBottomRight: [32, covered], maxZoom: 17 });
    } catch (err) {
      if (!isAbort(err)) toast(errorMessage(err), { kind: 'error' });
    }
  }

  _unfocus() {
    if (this.focus) this.focus.remove();
    this.focus = null;
  }
}
