// What publishing the draft would change: households, stations, open reports and
// workers that change grid, and the workload per grid before → after with its spread
// (coefficient of variation). Loaded when the tab is shown and the draft has changed.
// Hooks: `#plan-preview[data-state=idle|loading|ready|error][data-version]`,
// `button#preview-load`, `[data-moved=households|stations|open_reports|workers]`,
// `#preview-spread[data-before][data-after]`, `tr.gl-load-row[data-key]`.
import { errorMessage } from '../api.js';
import { onLangChange, pick, t } from '../i18n.js';
import { esc } from '../util.js';
import { previewPlan } from './api.js';
import { fmt } from './loads.js';

export class PreviewPanel {
  /** @param {{root, session}} options */
  constructor({ root, session }) {
    this.root = root;
    this.session = session;
    this.data = null;
    this.version = null;
    this.visible = false;
    this.$ = (sel) => root.querySelector(sel);
    this._onClick = (ev) => {
      if (ev.target.closest('#preview-load')) this.load();
    };
    this._onPlan = () => {
      if (!this.session.plan) {
        this.data = null;
        this.version = null;
        this.root.dataset.state = 'idle';
        this.render();
      } else if (this.visible) this.show();
    };
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.session.addEventListener('plan', this._onPlan);
    this._offLang = onLangChange(() => this.render());
    this.root.dataset.state = 'idle';
    this.render();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.session.removeEventListener('plan', this._onPlan);
    if (this._offLang) this._offLang();
  }

  /** The tab is shown (or hidden with visible=false): load when the draft changed. */
  show(visible = true) {
    this.visible = visible;
    const plan = this.session.plan;
    if (visible && plan && this.version !== `${plan.id}:${plan.version}`) this.load();
  }

  async load() {
    const plan = this.session.plan;
    if (!plan) return;
    const version = `${plan.id}:${plan.version}`;
    this.root.dataset.state = 'loading';
    try {
      const data = await previewPlan(plan.id);
      if (!this.session.plan || this.session.plan.id !== plan.id) return;
      this.data = data;
      this.version = version;
      this.root.dataset.version = String(plan.version ?? '');
      this.root.dataset.state = 'ready';
    } catch (err) {
      this.root.dataset.state = 'error';
      this.$('.gl-pprev__error').textContent = errorMessage(err);
    }
    this.render();
  }

  gridName(ref) {
    if (ref === null || ref === undefined) return t('plan.preview.noGrid');
    const features = this.session.grids.features;
    const f = features.find((x) => String(x.properties.key) === String(ref))
      || features.find((x) => String(x.properties.grid_id) === String(ref));
    return f ? pick(f.properties.name, f.properties.name_en) || f.properties.code : `#${ref}`;
  }

  render() {
    const body = this.$('.gl-pprev__body');
    this.$('.gl-pprev__error').hidden = this.root.dataset.state !== 'error';
    this.$('#preview-load').disabled = !this.session.plan;
    const d = this.data;
    if (!d) {
      body.innerHTML = '';
      return;
    }
    const moved = (key, n) => `<div class="gl-pprev__moved" data-moved="${key}" data-n="${esc(n)}"><b>${esc(fmt(n))}</b><span>${esc(t(`plan.preview.${key}`))}</span></div>`;
    const workers = d.workers || [];
    const load = d.workload || {};
    body.innerHTML = `
      <div class="gl-pprev__grid">
        ${moved('households', d.households ? d.households.moved : 0)}
        ${moved('stations', d.stations ? d.stations.moved : 0)}
        ${moved('open_reports', d.open_reports ? d.open_reports.moved : 0)}
        ${moved('workers', workers.length)}
      </div>
      <p id="preview-spread" data-before="${esc(load.spread_before ?? '')}" data-after="${esc(load.spread_after ?? '')}">
        ${esc(t('plan.preview.spread'))} <b>${esc(fmt(load.spread_before, 2))}</b> → <b>${esc(fmt(load.spread_after, 2))}</b>
        <span class="gl-muted">${esc(t('plan.preview.spreadHint'))}</span></p>
      ${this._loadTable(load)}
      ${this._moves(d)}`;
  }

  _loadTable(load) {
    const before = new Map((load.before || []).map((g) => [String(g.key), g]));
    const after = new Map((load.after || []).map((g) => [String(g.key), g]));
    const keys = [...new Set([...after.keys(), ...before.keys()])];
    if (!keys.length) return '';
    const cell = (b, a, field, digits = 0) => {
      const vb = b ? b[field] : null;
      const va = a ? a[field] : null;
      const changed = fmt(vb, digits) !== fmt(va, digits);
      return `<td class="${changed ? 'is-changed' : ''}">${esc(fmt(vb, digits))}${changed ? ` → <b>${esc(fmt(va, digits))}</b>` : ''}</td>`;
    };
    const rows = keys.map((key) => {
      const b = before.get(key);
      const a = after.get(key);
      const name = (a && a.name) || (b && b.name) || this.gridName(key);
      return `<tr class="gl-load-row" data-key="${esc(key)}"><th>${esc(name)}</th>${cell(b, a, 'households')}${cell(b, a, 'residents')}${cell(b, a, 'reports_per_month', 1)}${cell(b, a, 'load', 1)}</tr>`;
    }).join('');
    return `<table class="gl-pprev__load"><thead><tr><th>${esc(t('plan.preview.grid'))}</th><th>${esc(t('plan.preview.households'))}</th>
      <th>${esc(t('plan.preview.residents'))}</th><th>${esc(t('plan.preview.reportsPerMonth'))}</th><th>${esc(t('plan.preview.load'))}</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
  }

  _moves(d) {
    const arrow = (from, to) => `${esc(this.gridName(from))} → ${esc(this.gridName(to))}`;
    const parts = [];
    const byGrid = (d.households && d.households.by_grid) || [];
    if (byGrid.length) {
      parts.push(`<h4>${esc(t('plan.preview.households'))}</h4><ul>${byGrid.map((m) => `<li>${arrow(m.from, m.to)}：${esc(fmt(m.count))}</li>`).join('')}</ul>`);
    }
    const stations = (d.stations && d.stations.items) || [];
    if (stations.length) {
      parts.push(`<h4>${esc(t('plan.preview.stations'))}</h4><ul>${stations.map((s) => `<li>${esc(s.name)}：${arrow(s.from, s.to)}</li>`).join('')}</ul>`);
    }
    const reports = (d.open_reports && d.open_reports.items) || [];
    if (reports.length) {
      parts.push(`<h4>${esc(t('plan.preview.open_reports'))}</h4><ul>${reports.map((r) => `<li>#${esc(r.id)}：${arrow(r.from, r.to)}</li>`).join('')}</ul>`);
    }
    const workers = d.workers || [];
    if (workers.length) {
      const names = (refs) => (refs || []).map((g) => this.gridName(g)).join('、') || t('plan.preview.noGrid');
      parts.push(`<h4>${esc(t('plan.preview.workers'))}</h4><ul>${workers.map((w) => `<li>${esc(w.name)}：${esc(names(w.from_grids))} → ${esc(names(w.to_grids))}</li>`).join('')}</ul>`);
    }
    return parts.length ? `<div class="gl-pprev__moves">${parts.join('')}</div>` : `<p class="gl-muted">${esc(t('plan.preview.nothingMoves'))}</p>`;
  }
}
