// 走访: overdue household visits per grid (GET /api/visits/overdue) in a panel over the
// map (#visits-panel, markup in index.html): per grid the households, the overdue ones
// per care colour, and those visited in the last 7 days. Headers sort (most overdue
// first to start with), a row zooms the map to its grid (GET /api/grids/{id}), the
// community select narrows the list; `visits` events refresh it (2 s). Fires 'open'.
import { apiFetch, errorMessage, isAbort } from '../api.js';
import { CARE_COLORS } from '../layers/households.js';
import { getLang, t } from '../i18n.js';
import { esc } from '../util.js';
import { MapPanel } from './panel.js';
import { sortHeads, sortRows } from './sort-table.js';

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

/** The colour columns' header: a swatch, and the care level's name as the title. */
function colorHead(c) {
  if (!c.color) return {};
  return { icon: `<i class="gl-swatch" style="background:${CARE_COLORS[c.color]}"></i>`, attrs: ` title="${esc(t(`care.${c.color}`))}"` };
}

export class VisitsPanel extends MapPanel {
  /** @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options */
  constructor(options) {
    super(options, {
      topic: 'visits', picker: '#visits-community', rows: 'tr.gl-visits-row', rowId: 'gridId', columns: COLUMNS,
      focus: { edge: 'bottom', style: { ...FOCUS_STYLE, className: 'gl-visits-focus' } },
    });
    this.rows = null;
    this.error = null;
    this.communities = []; // [{id, name}] seen in the unfiltered list
    this.communityId = null;
    this.sort = { key: 'overdue_total', dir: 'desc' };
    this.body = this.root.querySelector('.gl-fig__body');
  }

  _langChanged() {
    if (this.rows && this.communityId === null) this._learnCommunities(this.rows);
    if (this.isOpen()) this.render();
  }

  setCommunity(id) {
    if (id === this.communityId) return undefined;
    this.communityId = id;
    this.rows = null;
    this.render();
    return this.load();
  }

  async load() {
    try {
      const rows = await this._fetch((signal) => getOverdue(this.communityId, signal));
      if (this.communityId === null) this._learnCommunities(rows);
      this.rows = rows;
      this.error = null;
      this.loadedAt = new Date();
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    }
    this.render();
  }

  _learnCommunities(rows) {
    const seen = new Map();
    for (const r of rows) if (r.community_id !== null) seen.set(r.community_id, value(r, 'community_name') || String(r.community_id));
    this.communities = [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  render() {
    this._fillPicker(this.communities, { all: t('center.visits.allCommunities'), selectedId: this.communityId });
    this._fillBody(this._table() + this._foot());
  }

  _table() {
    if (this.error && !this.rows) return `<p class="gl-fig__msg is-error">${esc(errorMessage(this.error))}</p>`;
    if (!this.rows) return `<p class="gl-fig__msg">${esc(t('common.loading'))}</p>`;
    if (!this.rows.length) return `<p class="gl-fig__msg">${esc(t('center.visits.empty'))}</p>`;
    const rows = sortRows(this.rows, this.sort, value);
    return `<table class="gl-fig__table gl-vis__table"><thead><tr>${sortHeads(COLUMNS, this.sort, colorHead)}</tr></thead>`
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
    return this._footLine((time) => t('center.visits.foot', { total, time }));
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
