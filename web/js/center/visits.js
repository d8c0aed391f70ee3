// 走访: overdue household visits per grid (GET /api/visits/overdue) in a panel over the
// map (#visits-panel, markup in index.html): per grid the households, the overdue ones
// per care colour, and those visited in the last 7 days. Headers sort (most overdue
// first to start with), a row zooms the map to its grid (GET /api/grids/{id}), the
// community select narrows the list; `visits` events refresh it (2 s). Fires 'open'.
import { L } from 'leaflet';
import { apiFetch, errorMessage, getGrid, isAbort } from '../api.js';
import { CARE_COLORS } from '../layers/households.js';
import { getLang, onLangChange, t } from '../i18n.js';
import { debounce, esc } from '../util.js';
import { toast } from '../controls/toast.js';

const COLOR_LABELS = {
  red: () => t('center.visits.color.red'),
  orange: () => t('center.visits.color.orange'),
  yellow: () => t('center.visits.color.yellow'),
  blue: () => t('center.visits.color.blue'),
  green: () => t('center.visits.color.green'),
};
const COLUMNS = [
  { key: 'name', label: () => t('center.visits.grid'), text: true },
  { key: 'community_name', label: () => t('center.visits.community'), text: true },
  { key: 'households', label: () => t('center.visits.households') },
  { key: 'overdue_total', label: () => t('center.visits.overdue') },
  ...Object.entries(COLOR_LABELS).map(([color, label]) => ({ key: color, color, label })),
  { key: 'visited_7d', label: () => t('center.visits.visited7d') },
];
const FOCUS_STYLE = { color: '#dc2626', weight: 4, dashArray: '8 6', fillColor: '#dc2626', fillOpacity: 0.06, interactive: false };

const getOverdue = (communityId, signal) =>
  apiFetch('/api/visits/overdue', { params: { community_id: communityId }, signal });

/** A row's value for a column: colour counts live in overdue_by_color, names by language. */
function value(row, key) {
  if (key in CARE_COLORS) return (row.overdue_by_color || {})[key] ?? 0;
  if (key === 'name' || key === 'community_name') return (getLang() === 'en' && row[`${key}_en`]) || row[key];
  return row[key];
}

function compare(key, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return sign * (typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y);
  };
}

export class VisitsPanel extends EventTarget {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor({ root, opener, map, live }) {
    super();
    Object.assign(this, { root, opener, map, live });
    this.rows = null;
    this.error = null;
    this.communities = []; // [{id, name}] seen in the unfiltered list
    this.communityId = null;
    this.sort = { key: 'overdue_total', dir: 'desc' };
    this.selected = null;
    this.loadedAt = null;
    this.focus = null;
    this.body = root.querySelector('.gl-fig__body');
    this.select = root.querySelector('#visits-community');
    this._controller = null;
    this._refresh = debounce(() => this.load(), 2000);
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onClick = (ev) => this._click(ev);
    this._onKey = (ev) => {
      if (ev.key === 'Enter' && ev.target.matches('tr.gl-visits-row')) this._click(ev);
    };
    this._onSelect = () => this.setCommunity(this.select.value ? Number(this.select.value) : null);
    this._onEvent = (ev) => {
      if (this.isOpen() && ev.detail && ev.detail.topic === 'visits') this._refresh();
    };
    this._onReset = () => this.isOpen() && this._refresh();
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('keydown', this._onKey);
    this.select.addEventListener('change', this._onSelect);
    this.live.addEventListener('event', this._onEvent);
    this.live.addEventListener('reset', this._onReset);
    this._offLang = onLangChange(() => {
      if (this.rows && this.communityId === null) this._learnCommunities(this.rows);
      if (this.isOpen()) this.render();
    });
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('keydown', this._onKey);
    this.select.removeEventListener('change', this._onSelect);
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
    this.dispatchEvent(new CustomEvent('open'));
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

  setCommunity(id) {
    if (id === this.communityId) return undefined;
    this.communityId = id;
    this.rows = null;
    this.render();
    return this.load();
  }

  async load() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const rows = await getOverdue(this.communityId, controller.signal);
      if (controller.signal.aborted) return;
      if (this.communityId === null) this._learnCommunities(rows);
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

  _learnCommunities(rows) {
    const seen = new Map();
    for (const r of rows) if (r.community_id !== null) seen.set(r.community_id, value(r, 'community_name') || String(r.community_id));
    this.communities = [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  render() {
    const options = [`<option value="">${esc(t('center.visits.allCommunities'))}</option>`]
      .concat(this.communities.map((c) => `<option value="${esc(c.id)}">${esc(c.name)}</option>`));
    this.select.innerHTML = options.join('');
    this.select.value = this.communityId === null ? '' : String(this.communityId);
    const scroll = this.body.scrollTop; // a live refresh keeps the reader's place
    this.body.innerHTML = this._table() + this._foot();
    this.body.scrollTop = scroll;
  }

  _table() {
    if (this.error && !this.rows) return `<p class="gl-fig__msg is-error">${esc(errorMessage(this.error))}</p>`;
    if (!this.rows) return `<p class="gl-fig__msg">${esc(t('common.loading'))}</p>`;
    if (!this.rows.length) return `<p class="gl-fig__msg">${esc(t('center.visits.empty'))}</p>`;
    const head = COLUMNS.map((c) => {
      const on = this.sort && this.sort.key === c.key;
      const aria = on ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
      const dot = c.color ? `<i class="gl-swatch" style="background:${CARE_COLORS[c.color]}"></i>` : '';
      const title = c.color ? ` title="${esc(t(`care.${c.color}`))}"` : '';
      return `<th scope="col" class="${c.text ? '' : 'num'}" data-sort="${c.key}" aria-sort="${aria}"${title}>`
        + `<button type="button">${dot}${esc(c.label())}<i class="gl-sort" aria-hidden="true"></i></button></th>`;
    }).join('');
    const rows = [...this.rows].sort(compare(this.sort.key, this.sort.dir));
    return `<table class="gl-fig__table gl-vis__table"><thead><tr>${head}</tr></thead>`
      + `<tbody>${rows.map((r) => this._row(r)).join('')}</tbody></table>`;
  }

  _row(r) {
    const cells = COLUMNS.map((c) => {
      if (c.key === 'name') return `<td class="gl-fig__name" title="${esc(r.code)}">${esc(value(r, c.key))}</td>`;
      if (c.text) return `<td class="gl-vis__community">${esc(value(r, c.key) ?? '')}</td>`;
      const v = value(r, c.key);
      const alert = (c.color || c.key === 'overdue_total') && v > 0 ? ` is-overdue${c.color ? ` gl-vis--${c.color}` : ''}` : '';
      return `<td class="num${alert}" data-col="${c.key}">${esc(v)}</td>`;
    }).join('');
    const selected = String(r.grid_id) === String(this.selected) ? ' is-selected' : '';
    return `<tr class="gl-visits-row${selected}" data-grid-id="${esc(r.grid_id)}" data-overdue="${esc(r.overdue_total)}" tabindex="0"`
      + ` title="${esc(t('center.visits.zoom'))}">${cells}</tr>`;
  }

  _foot() {
    if (!this.rows) return '';
    const total = this.rows.reduce((sum, r) => sum + r.overdue_total, 0);
    const at = this.loadedAt ? this.loadedAt.toLocaleTimeString(getLang(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
    const stale = this.error ? ` · <span class="is-error">${esc(errorMessage(this.error))}</span>` : '';
    return `<p class="gl-fig__foot">${esc(t('center.visits.foot', { total, time: at }))}${stale}</p>`;
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    const th = ev.target.closest('th[data-sort]');
    if (th) return this._sortBy(th.dataset.sort);
    const row = ev.target.closest('tr.gl-visits-row[data-grid-id]');
    if (row) return this.zoomTo(Number(row.dataset.gridId));
    return undefined;
  }

  _sortBy(key) {
    const text = COLUMNS.find((c) => c.key === key).text;
    if (this.sort.key === key) this.sort = { key, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' };
    else this.sort = { key, dir: text ? 'asc' : 'desc' };
    this.render();
  }

  /** Outline the grid and fit it into the part of the map the panel leaves free. */
  async zoomTo(id) {
    this.selected = id;
    for (const tr of this.body.querySelectorAll('tr.gl-visits-row')) tr.classList.toggle('is-selected', tr.dataset.gridId === String(id));
    try {
      const feature = await getGrid(id);
      if (this.selected !== id || !this.isOpen()) return;
      this._unfocus();
      this.focus = L.geoJSON(feature, { style: () => ({ ...FOCUS_STYLE, className: 'gl-visits-focus' }) }).addTo(this.map);
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

/** The panel and its opener (markup in index.html); `others` close when it opens. */
export function mountVisitsPanel({ map, live, others = [] }) {
  const panel = new VisitsPanel({
    root: document.getElementById('visits-panel'), opener: document.getElementById('visits-open'), map, live,
  }).mount();
  panel.addEventListener('open', () => {
    for (const other of others) if (other && other.isOpen()) other.close();
  });
  for (const other of others) {
    if (other && other.opener) other.opener.addEventListener('click', () => panel.isOpen() && other.isOpen() && panel.close());
  }
  return panel;
}
