// 智能划分: the redistricting assistant. For a street or community of the plan's scope, a
// target number of grids k (the draft's current count by default), the load weights and a
// start (best / current / fresh), the server regroups its blocks into k contiguous grids
// of even load and writes them into the draft (POST /api/plans/{id}/redistrict with
// If-Match, through the session: 412 reloads the draft and says so, 422 says why). While
// it runs (seconds) the button is disabled with a spinner and the elapsed time; then the
// figures before → after side by side, each grid's load before and after, and the draft
// layer shows the new grids, to adjust with the usual tools and publish.
// Hooks: `#plan-redistrict[data-state=idle|running|done|error]`, `select#redistrict-parent`,
// `input#redistrict-k` (`aria-invalid` after k_out_of_range),
// `#redistrict-k-range[data-current][data-min][data-max]`, `select#redistrict-start`,
// `details#redistrict-weights[data-changed="1|0"]` with `input[data-weight=care.red|…|street_km]`
// and `button#redistrict-reset`, `button#redistrict-run`, `#redistrict-progress[data-elapsed]`,
// `#redistrict-error[data-code]`, `#redistrict-result[data-parent-id][data-k][data-blocks]
// [data-count-before][data-count-after][data-mean-before][data-mean-after]
// [data-spread-before][data-spread-after][data-kept][data-seconds][data-converged="1|0"]`,
// `#redistrict-before|#redistrict-after tr.gl-rd-row[data-key][data-load]` (a click on an
// after row selects that grid of the draft).
import { errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { redistrictPlan } from './api.js';
import { DEFAULT_WEIGHTS, fmt, loadName, summarise, weightsBody } from './loads.js';

const STARTS = [
  { value: 'best', labelKey: 'plan.rd.startBest' },
  { value: 'current', labelKey: 'plan.rd.startCurrent' },
  { value: 'fresh', labelKey: 'plan.rd.startFresh' },
];

export class RedistrictPanel {
  /** @param {{root, session, scopes, canWrite, onDone: (out) => void}} options */
  constructor({ root, session, scopes, canWrite, onDone }) {
    this.root = root;
    this.session = session;
    this.scopes = scopes;
    this.canWrite = canWrite;
    this.onDone = onDone;
    this.result = null;
    this.range = null; // {min, max} from a k_out_of_range answer
    this._planId = null;
    this._scopeId = null;
    this._kTouched = false;
    this._timer = null;
    this.$ = (sel) => root.querySelector(sel);
    this._onSubmit = (ev) => {
      ev.preventDefault();
      this.run();
    };
    this._onClick = (ev) => this._click(ev);
    this._onInput = (ev) => this._input(ev);
    this._onChange = (ev) => this._change(ev);
    this._onPlan = () => this._planChanged();
    this._onGrids = () => this._syncK();
    this._onBusy = () => this._syncDisabled();
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('submit', this._onSubmit);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('input', this._onInput);
    this.root.addEventListener('change', this._onChange);
    this.session.addEventListener('plan', this._onPlan);
    this.session.addEventListener('grids', this._onGrids);
    this.session.addEventListener('busy', this._onBusy);
    this._offLang = onLangChange(() => this._relabel());
    this.root.dataset.state = 'idle';
    this._resetWeights();
    this._relabel();
    return this;
  }

  unmount() {
    this.root.removeEventListener('submit', this._onSubmit);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('input', this._onInput);
    this.root.removeEventListener('change', this._onChange);
    this.session.removeEventListener('plan', this._onPlan);
    this.session.removeEventListener('grids', this._onGrids);
    this.session.removeEventListener('busy', this._onBusy);
    if (this._offLang) this._offLang();
    this._stopTimer();
  }

  get parentId() {
    return this.$('#redistrict-parent').value;
  }

  /** The communities the parent stands for (itself when it is one). */
  communityIds(parentId = this.parentId) {
    if (!this.scopes.byId(parentId)) return [];
    return this.scopes.communitiesOf(parentId).map((c) => String(c.id));
  }

  /** The draft's living comprehensive grids under the parent. */
  currentCount() {
    const ids = new Set(this.communityIds());
    return this.session.grids.features.filter((f) => {
      const p = f.properties;
      return p.action !== 'retire' && (p.kind || 'comprehensive') === 'comprehensive' && ids.has(String(p.parent_id));
    }).length;
  }

  async run() {
    if (!this.session.editable || !this.canWrite || this.session.busy) return;
    const body = this._body();
    if (!body) return;
    this._error(null);
    this._running(true);
    const out = await this.session.run((plan) => redistrictPlan(plan, body), { okText: t('plan.rd.done', { k: body.k }) });
    this._running(false);
    if (out && out.redistrict) {
      this.result = out.redistrict;
      this.root.dataset.state = 'done';
      this._renderResult();
      this.$('#redistrict-result').scrollIntoView({ block: 'nearest' });
      this.onDone(out);
      return;
    }
    const err = this.session.lastError;
    this.root.dataset.state = err ? 'error' : 'idle';
    if (err) this._failed(err);
  }

  /** The request body from the form, or null (and the field marked) when it is not usable. */
  _body() {
    const kInput = this.$('#redistrict-k');
    const k = Number(kInput.value);
    if (!Number.isInteger(k) || k < 1) {
      kInput.setAttribute('aria-invalid', 'true');
      this._error({ text: t('plan.rd.kInvalid'), code: 'k_invalid' });
      return null;
    }
    kInput.removeAttribute('aria-invalid');
    const flat = {};
    for (const input of this.root.querySelectorAll('input[data-weight]')) {
      const value = Number(input.value);
      const ok = input.value.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1000;
      input.toggleAttribute('aria-invalid', !ok);
      if (!ok) {
        this._error({ text: t('plan.rd.weightInvalid'), code: 'weight_invalid' });
        this.$('#redistrict-weights').open = true;
        return null;
      }
      flat[input.dataset.weight] = value;
    }
    return { parent_id: Number(this.parentId), k, start: this.$('#redistrict-start').value, weights: weightsBody(flat) };
  }

  _failed(err) {
    if (err.code === 'k_out_of_range') {
      const [min, max] = (String(err.detailEn || err.detail || '').match(/\d+/g) || []).map(Number);
      if (Number.isInteger(min) && Number.isInteger(max)) this.range = { min, max };
      this.$('#redistrict-k').setAttribute('aria-invalid', 'true');
      this._renderRange();
    }
    // a 412 is said (and the draft reloaded) by the session, in the message line
    const text = err.status === 412 ? t('plan.msg.conflict') : errorMessage(err);
    this._error({ text, code: err.code || String(err.status || '') });
  }

  _error(problem) {
    const el = this.$('#redistrict-error');
    el.textContent = problem ? problem.text : '';
    el.dataset.code = problem ? problem.code : '';
  }

  _running(on) {
    if (on) this.root.dataset.state = 'running';
    else if (this.root.dataset.state === 'running') this.root.dataset.state = 'idle';
    const progress = this.$('#redistrict-progress');
    progress.hidden = !on;
    this._stopTimer();
    if (on) {
      const started = performance.now();
      const tick = () => {
        const seconds = Math.floor((performance.now() - started) / 1000);
        progress.dataset.elapsed = String(seconds);
        progress.querySelector('.gl-prd__elapsed').textContent = t('plan.rd.running', { seconds });
      };
      tick();
      this._timer = window.setInterval(tick, 250);
    }
    this._syncDisabled();
  }

  _stopTimer() {
    if (this._timer) window.clearInterval(this._timer);
    this._timer = null;
  }

  _planChanged() {
    const plan = this.session.plan;
    const planId = plan ? String(plan.id) : null;
    const scopeId = plan ? String(plan.scope_id) : null;
    if (planId !== this._planId) {
      this._planId = planId;
      this.result = null;
      this.range = null;
      this._error(null);
      this.root.dataset.state = 'idle';
      this._renderResult();
    }
    if (scopeId !== this._scopeId) {
      this._scopeId = scopeId;
      if (scopeId) this.scopes.fillParents(this.$('#redistrict-parent'), scopeId);
      else this.$('#redistrict-parent').textContent = '';
      this._kTouched = false;
      this._syncK();
    }
    this._syncDisabled();
  }

  /** k follows the draft's count until the person sets it. */
  _syncK() {
    const current = this.session.plan ? this.currentCount() : 0;
    const kInput = this.$('#redistrict-k');
    if (!this._kTouched) kInput.value = current ? String(current) : '';
    this.$('#redistrict-k-range').dataset.current = String(current);
    this._renderRange();
  }

  _renderRange() {
    const el = this.$('#redistrict-k-range');
    const current = Number(el.dataset.current || 0);
    const parts = [t('plan.rd.current', { count: current })];
    if (this.range) {
      el.dataset.min = String(this.range.min);
      el.dataset.max = String(this.range.max);
      this.$('#redistrict-k').min = String(this.range.min);
      this.$('#redistrict-k').max = String(this.range.max);
      parts.push(t('plan.rd.range', { min: this.range.min, max: this.range.max }));
    } else {
      delete el.dataset.min;
      delete el.dataset.max;
      this.$('#redistrict-k').min = '1';
      this.$('#redistrict-k').removeAttribute('max');
    }
    el.textContent = parts.join(' ');
  }

  _syncDisabled() {
    const writable = this.canWrite && this.session.editable;
    const running = this.root.dataset.state === 'running';
    this.$('#redistrict-run').disabled = !writable || running || this.session.busy;
    for (const el of this.root.querySelectorAll('#redistrict-form :is(input, select, #redistrict-reset)')) el.disabled = !writable || running;
    const note = this.$('.gl-prd__note');
    note.hidden = writable || !this.session.plan;
    note.textContent = !this.canWrite ? t('plan.readOnly') : t('plan.rd.notDraft');
  }

  _resetWeights() {
    for (const input of this.root.querySelectorAll('input[data-weight]')) {
      input.value = String(DEFAULT_WEIGHTS[input.dataset.weight]);
      input.removeAttribute('aria-invalid');
    }
    this._weightsChanged();
  }

  _weightsChanged() {
    const changed = [...this.root.querySelectorAll('input[data-weight]')]
      .some((input) => Number(input.value) !== DEFAULT_WEIGHTS[input.dataset.weight]);
    const box = this.$('#redistrict-weights');
    box.dataset.changed = changed ? '1' : '0';
    box.querySelector('.gl-prd__wstate').textContent = t(changed ? 'plan.rd.weightsChanged' : 'plan.rd.weightsDefault');
  }

  _input(ev) {
    if (ev.target.id === 'redistrict-k') {
      this._kTouched = true;
      ev.target.removeAttribute('aria-invalid');
    } else if (ev.target.dataset.weight) this._weightsChanged();
  }

  _change(ev) {
    if (ev.target.id !== 'redistrict-parent') return;
    this._kTouched = false;
    this.range = null;
    this._error(null);
    this.$('#redistrict-k').removeAttribute('aria-invalid');
    this._syncK();
  }

  _click(ev) {
    if (ev.target.closest('#redistrict-reset')) {
      this._resetWeights();
      return;
    }
    const row = ev.target.closest('#redistrict-after tr.gl-rd-row');
    if (row && this.session.feature(row.dataset.key)) this.session.select(row.dataset.key);
  }

  _relabel() {
    const start = this.$('#redistrict-start');
    const chosen = start.value || 'best';
    start.innerHTML = STARTS.map((s) => `<option value="${s.value}"${s.value === chosen ? ' selected' : ''}>${esc(t(s.labelKey))}</option>`).join('');
    this._weightsChanged();
    this._renderRange();
    this._syncDisabled();
    this._renderResult();
  }

  _renderResult() {
    const box = this.$('#redistrict-result');
    const r = this.result;
    box.hidden = !r;
    if (!r) {
      box.innerHTML = '';
      return;
    }
    const zones = new Set(this.communityIds(r.parent_id));
    const mine = (list) => (list || []).filter((g) => g.kind === 'comprehensive' && (!zones.size || zones.has(String(g.parent_id))));
    const before = mine(r.before);
    const after = mine(r.after);
    const b = summarise(before);
    const a = summarise(after);
    Object.assign(box.dataset, {
      parentId: String(r.parent_id), k: String(r.k), blocks: String(r.blocks),
      countBefore: String(b.count), countAfter: String(a.count),
      meanBefore: b.mean.toFixed(2), meanAfter: a.mean.toFixed(2),
      spreadBefore: String(r.spread_before), spreadAfter: String(r.spread_after),
      kept: String(r.kept), seconds: String(r.seconds), converged: r.converged ? '1' : '0',
    });
    const row = (fig, labelKey, vb, va, better) => `<tr data-fig="${fig}"><th>${esc(t(labelKey))}</th><td>${esc(vb)}</td>
      <td class="${better ? 'is-better' : ''}">${esc(va)}</td></tr>`;
    const max = Math.max(1, ...before.map((g) => g.load), ...after.map((g) => g.load));
    box.innerHTML = `
      <table class="gl-prd__figs"><thead><tr><th></th><th>${esc(t('plan.rd.before'))}</th><th>${esc(t('plan.rd.after'))}</th></tr></thead><tbody>
        ${row('count', 'plan.load.count', fmt(b.count), fmt(a.count), false)}
        ${row('mean', 'plan.load.mean', fmt(b.mean, 1), fmt(a.mean, 1), false)}
        ${row('spread', 'plan.load.spread', fmt(r.spread_before, 2), fmt(r.spread_after, 2), r.spread_after < r.spread_before)}
      </tbody></table>
      <p class="gl-prd__facts">${esc(t('plan.rd.facts', { kept: Math.round(r.kept * 100), blocks: fmt(r.blocks), seconds: fmt(r.seconds, 1) }))}</p>
      ${r.converged ? '' : `<p class="gl-prd__warn">${esc(t('plan.rd.notConverged'))}</p>`}
      <p class="gl-muted gl-prd__next">${esc(t('plan.rd.next'))}</p>
      <div class="gl-prd__sides">
        ${this._side('redistrict-before', 'plan.rd.before', before, max)}
        ${this._side('redistrict-after', 'plan.rd.after', after, max)}
      </div>`;
  }

  _side(id, titleKey, grids, max) {
    const rows = [...grids].sort((x, y) => y.load - x.load).map((g) => `<tr class="gl-rd-row" data-key="${esc(g.key)}" data-load="${esc(g.load)}">
      <th>${esc(loadName(g, this.session))}</th><td>${esc(fmt(g.households))}</td>
      <td class="gl-prd__bar" style="--w:${((g.load / max) * 100).toFixed(1)}%"><b>${esc(fmt(g.load, 1))}</b></td></tr>`).join('');
    return `<section id="${id}"><h4>${esc(t(titleKey))}</h4><table class="gl-prd__grids"><thead><tr><th>${esc(t('plan.load.grid'))}</th>
      <th>${esc(t('plan.load.households'))}</th><th>${esc(t('plan.load.load'))}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  }
}
