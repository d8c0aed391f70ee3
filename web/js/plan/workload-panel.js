// 工作量: every living grid under a street or community of the plan's scope, on the map as
// it is now (GET /api/planning/workload, default weights): households, residents, care
// colours, load, reports a month, area, street and patrol length, sortable; the parent's
// count, mean load and spread (CV) on top, a street's communities below it. The map
// colouring (load against the mean) is a toggle, shown with the tab; onColour(data | null)
// draws it (a click on a row selects the grid in the draft).
// Hooks: `#plan-workload[data-state=idle|loading|ready|error][data-parent]`,
// `select#workload-parent`, `button#workload-load`, `input#workload-map`,
// `#workload-summary[data-count][data-mean][data-spread][data-grade=good|fair|poor]`,
// `.gl-wl-community[data-id][data-count][data-spread]`,
// `#workload-table th button[data-sort]` (`th[aria-sort]`),
// `tr.gl-wl-row[data-key][data-grid-id][data-kind][data-load][data-band]`.
import { errorMessage, isAbort } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc, latestOnly } from '../util.js';
import { getWorkload } from './api.js';
import { careWeight, fmt, loadBand, loadName, spreadGrade } from './loads.js';

const CARE = ['red', 'orange', 'yellow', 'blue', 'green'];
// column: the label, the value it sorts by, the cell
const COLUMNS = [
  { key: 'name', labelKey: 'plan.load.grid', value: (g, s) => loadName(g, s) },
  { key: 'households', labelKey: 'plan.load.households', value: (g) => g.households },
  { key: 'residents', labelKey: 'plan.load.residents', value: (g) => g.residents },
  { key: 'care', labelKey: 'plan.load.care', value: (g) => careWeight(g.care) },
  { key: 'load', labelKey: 'plan.load.load', value: (g) => g.load },
  { key: 'reports_per_month', labelKey: 'plan.load.reportsPerMonth', value: (g) => g.reports_per_month },
  { key: 'area_m2', labelKey: 'plan.load.area', value: (g) => g.area_m2 },
  { key: 'street_m', labelKey: 'plan.load.street', value: (g) => g.street_m },
  { key: 'patrol_m', labelKey: 'plan.load.patrol', value: (g) => g.patrol_m },
];

export class WorkloadPanel {
  /** @param {{root, session, scopes, onColour: (data | null) => void}} options */
  constructor({ root, session, scopes, onColour }) {
    this.root = root;
    this.session = session;
    this.scopes = scopes;
    this.onColour = onColour;
    this.data = null;
    this.sort = { key: null, dir: 1 };
    this.visible = false;
    this._scopeId = null;
    this._fetch = latestOnly();
    this.$ = (sel) => root.querySelector(sel);
    this._onClick = (ev) => this._click(ev);
    this._onChange = (ev) => this._change(ev);
    this._onPlan = () => this._planChanged();
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('change', this._onChange);
    this.session.addEventListener('plan', this._onPlan);
    this._offLang = onLangChange(() => this.render());
    this.root.dataset.state = 'idle';
    this.render();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('change', this._onChange);
    this.session.removeEventListener('plan', this._onPlan);
    if (this._offLang) this._offLang();
    this._fetch.abort();
  }

  get parentId() {
    return this.$('#workload-parent').value;
  }

  /**
   * The tab is shown (or hidden): load the figures the first time. The colouring shows
   * only with the tab, since it is of the map now, not of the draft.
   */
  show(visible = true) {
    this.visible = visible;
    if (visible && this.session.plan && !this.data && this.root.dataset.state !== 'loading') this.load();
    this.recolour();
  }

  /** The map changed (a plan was published): the figures are stale. */
  stale() {
    this.data = null;
    if (this.visible) this.load();
    else this.render();
  }

  async load() {
    const parentId = this.parentId;
    if (!parentId) return;
    this.root.dataset.state = 'loading';
    this.root.dataset.parent = parentId;
    try {
      this.data = await this._fetch((signal) => getWorkload(parentId, {}, signal));
      this.root.dataset.state = 'ready';
    } catch (err) {
      if (isAbort(err)) return;
      this.data = null;
      this.root.dataset.state = 'error';
      this.$('.gl-wl__error').textContent = errorMessage(err);
    }
    this.render();
    this.recolour();
  }

  _planChanged() {
    const plan = this.session.plan;
    const scopeId = plan ? String(plan.scope_id) : null;
    if (scopeId === this._scopeId) return;
    this._scopeId = scopeId;
    this.data = null;
    this.root.dataset.state = 'idle';
    if (scopeId) this.scopes.fillParents(this.$('#workload-parent'), scopeId);
    else this.$('#workload-parent').textContent = '';
    this.$('#workload-map').checked = false;
    this.recolour();
    if (scopeId && this.visible) this.load();
    else this.render();
  }

  _change(ev) {
    if (ev.target.id === 'workload-parent') {
      this.data = null;
      this.load();
    } else if (ev.target.id === 'workload-map') this.recolour();
  }

  _click(ev) {
    if (ev.target.closest('#workload-load')) {
      this.load();
      return;
    }
    const sortBy = ev.target.closest('button[data-sort]');
    if (sortBy) {
      const key = sortBy.dataset.sort;
      this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : key === 'name' ? 1 : -1 };
      this.render();
      return;
    }
    const row = ev.target.closest('tr.gl-wl-row');
    if (row && this.session.feature(row.dataset.key)) this.session.select(row.dataset.key);
  }

  /** Colour the map (or stop) as the toggle says. */
  recolour() {
    this.onColour(this.visible && this.$('#workload-map').checked && this.data ? this.data : null);
  }

  render() {
    this.$('.gl-wl__error').hidden = this.root.dataset.state !== 'error';
    this.$('#workload-load').disabled = !this.session.plan;
    const d = this.data;
    const summary = this.$('#workload-summary');
    const body = this.$('.gl-wl__body');
    if (!d) {
      summary.hidden = true;
      body.innerHTML = '';
      return;
    }
    const p = d.parent;
    summary.hidden = false;
    Object.assign(summary.dataset, { count: String(p.count), mean: String(p.mean_load), spread: String(p.spread), grade: spreadGrade(p.spread) });
    summary.innerHTML = `
      <div class="gl-wl__fig"><b>${esc(fmt(p.count))}</b><span>${esc(t('plan.load.count'))}</span></div>
      <div class="gl-wl__fig"><b>${esc(fmt(p.mean_load, 1))}</b><span>${esc(t('plan.load.mean'))}</span></div>
      <div class="gl-wl__fig gl-wl__fig--spread"><b>${esc(fmt(p.spread, 2))}</b><span>${esc(t('plan.load.spread'))}</span></div>
      <p class="gl-muted">${esc(t(`plan.load.grade.${spreadGrade(p.spread)}`))} ${esc(t('plan.load.spreadHint'))}</p>`;
    body.innerHTML = `${this._communities(d.communities || [])}${this._table(d)}`;
  }

  _communities(list) {
    if (!list.length) return '';
    const rows = list.map((c) => `<li class="gl-wl-community" data-id="${esc(c.id)}" data-count="${esc(c.count)}" data-spread="${esc(c.spread)}">
      <b>${esc(this.scopes.nameOf(c.id, c.name))}</b><span>${esc(t('plan.load.communityLine', { count: c.count, mean: fmt(c.mean_load, 1), spread: fmt(c.spread, 2) }))}</span></li>`);
    return `<ul class="gl-wl__communities">${rows.join('')}</ul>`;
  }

  _table(d) {
    const grids = [...d.grids];
    const mean = d.parent.mean_load;
    const col = COLUMNS.find((c) => c.key === this.sort.key);
    if (col) {
      grids.sort((a, b) => {
        const va = col.value(a, this.session);
        const vb = col.value(b, this.session);
        const order = typeof va === 'string' ? String(va).localeCompare(String(vb)) : (Number(va) || 0) - (Number(vb) || 0);
        return order * this.sort.dir;
      });
    }
    const head = COLUMNS.map((c) => {
      const sorted = this.sort.key === c.key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none';
      return `<th aria-sort="${sorted}"><button type="button" data-sort="${c.key}">${esc(t(c.labelKey))}</button></th>`;
    }).join('');
    const rows = grids.map((g) => {
      const dedicated = g.kind === 'dedicated';
      const band = dedicated ? null : loadBand(g.load, mean);
      return `<tr class="gl-wl-row" data-key="${esc(g.key)}" data-grid-id="${esc(g.grid_id ?? '')}" data-kind="${esc(g.kind)}" data-load="${esc(g.load)}" data-band="${band ? band.key : ''}">
        <th>${esc(loadName(g, this.session))}${dedicated ? ` <span class="gl-tag">${esc(t('plan.load.dedicated'))}</span>` : ''}</th>
        <td>${esc(fmt(g.households))}</td><td>${esc(fmt(g.residents))}</td><td class="gl-wl__care">${careCell(g.care)}</td>
        <td class="gl-wl__load"${band ? ` style="--band:${band.color}"` : ''}><b>${esc(fmt(g.load, 1))}</b></td>
        <td>${esc(fmt(g.reports_per_month, 1))}</td><td>${esc(fmt(g.area_m2 / 10000, 1))}</td>
        <td>${esc(fmt(g.street_m / 1000, 2))}</td><td>${esc(fmt(g.patrol_m / 1000, 2))}</td></tr>`;
    }).join('');
    return `<div class="gl-wl__scroll"><table id="workload-table" class="gl-wl__table"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>
      <p class="gl-muted gl-wl__units">${esc(t('plan.load.units'))}</p>`;
  }
}

/** The care colours as small counted dots (those with none left out), named in a title. */
function careCell(care) {
  const c = care || {};
  const title = CARE.map((k) => `${t(`care.${k}`)}: ${c[k] || 0}`).join('\n');
  const dots = CARE.filter((k) => c[k]).map((k) => `<span class="gl-wl-dot" data-care="${k}">${esc(fmt(c[k]))}</span>`).join('');
  return `<span title="${esc(title)}">${dots || '–'}</span>`;
}
