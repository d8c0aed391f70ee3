// The open draft: its plan (with the ETag), its grids, the server's check, the selected
// grid. Every edit goes through run(): on success the plan, grids and check are taken
// from the server; a stale ETag (412) reloads the draft so the other planner's change
// shows, and says so.
//
// Events (CustomEvent, payload in `detail`):
//   plan      {plan}           the plan (status, counts, version) changed or was closed (null)
//   grids     {grids}          the draft's FeatureCollection was reloaded
//   check     {check}          a new check result
//   select    {key, picked}    the selected grid (null: none); picked: chosen by the person
//   busy      {busy}
//   message   {kind: ok|info|error|conflict, text, code}
import { errorMessage, isAbort } from '../api.js';
import { t } from '../i18n.js';
import { checkPlan, getPlan, planGrids } from './api.js';

export class PlanSession extends EventTarget {
  constructor() {
    super();
    this.plan = null;
    this.grids = { type: 'FeatureCollection', features: [] };
    this.check = null;
    this.selected = null;
    this.busy = false;
    this.lastError = null; // the error of the last failed edit
    this._loadToken = 0;
  }

  get editable() {
    return Boolean(this.plan && this.plan.status === 'draft');
  }

  feature(key) {
    if (key === null || key === undefined) return null;
    return this.grids.features.find((f) => String(f.properties.key) === String(key)) || null;
  }

  /** Open a plan by id: the plan, its grids and its check. */
  async open(id) {
    const token = ++this._loadToken;
    this._setBusy(true);
    try {
      const [plan, grids, check] = await Promise.all([getPlan(id), planGrids(id), checkPlan(id).catch(() => null)]);
      if (token !== this._loadToken) return;
      this.plan = plan;
      this.grids = grids || { type: 'FeatureCollection', features: [] };
      this.check = check;
      if (!this.feature(this.selected)) this.selected = null;
      this._emit('plan', { plan });
      this._emit('grids', { grids: this.grids });
      this._emit('check', { check });
      this._emit('select', { key: this.selected });
    } finally {
      if (token === this._loadToken) this._setBusy(false);
    }
  }

  /** Reload the open plan (after a conflict, or when asked). */
  reload() {
    return this.plan ? this.open(this.plan.id) : Promise.resolve();
  }

  close() {
    this._loadToken++;
    this.plan = null;
    this.grids = { type: 'FeatureCollection', features: [] };
    this.check = null;
    this.selected = null;
    this._emit('plan', { plan: null });
    this._emit('grids', { grids: this.grids });
    this._emit('check', { check: null });
    this._emit('select', { key: null });
  }

  select(key) {
    const next = this.feature(key) ? String(key) : null;
    if (next === this.selected) return;
    this.selected = next;
    this._emit('select', { key: next, picked: true });
  }

  /** Take a plan the server answered with (publish, an edit) without reloading grids. */
  setPlan(plan) {
    this.plan = plan;
    this._emit('plan', { plan });
  }

  /** Take a fresh check result (the check was run again). */
  setCheck(check) {
    this.check = check;
    this._emit('check', { check });
  }

  /**
   * Run one edit: `call(plan)` returns EditOut {plan, changed, check}. Returns it, or
   * null when the edit failed (the message was already emitted).
   */
  async run(call, { okText } = {}) {
    if (!this.editable || this.busy) return null;
    this._setBusy(true);
    this.lastError = null;
    try {
      const out = await call(this.plan);
      this.plan = out.plan || this.plan;
      this.check = out.check || null;
      const grids = await planGrids(this.plan.id);
      this.grids = grids || this.grids;
      const changed = (out.changed || []).map(String);
      if (this.selected && !this.feature(this.selected)) this.selected = null;
      this._emit('plan', { plan: this.plan });
      this._emit('grids', { grids: this.grids, changed });
      this._emit('check', { check: this.check });
      this._emit('select', { key: this.selected });
      this._say(okText, this.check);
      return out;
    } catch (err) {
      if (isAbort(err)) return null;
      await this._failed(err);
      return null;
    } finally {
      this._setBusy(false);
    }
  }

  _say(okText, check) {
    const fixed = check ? check.fixed || 0 : 0;
    const parts = [];
    if (okText) parts.push(okText);
    if (fixed) parts.push(t('plan.msg.fixed', { count: fixed }));
    if (check && check.errors) parts.push(t('plan.msg.errors', { count: check.errors }));
    if (parts.length) this._emit('message', { kind: check && check.errors ? 'info' : 'ok', text: parts.join(' '), code: fixed ? 'fixed' : '' });
  }

  async _failed(err) {
    this.lastError = err;
    const status = err && err.status;
    if (status === 412) {
      // our sentence says what happened and what was done; another code adds the server's
      const extra = err.code && err.code !== 'stale_etag' ? ` ${errorMessage(err)}` : '';
      this._emit('message', { kind: 'conflict', text: `${t('plan.msg.conflict')}${extra}`, code: err.code || 'stale_etag' });
      this._setBusy(false);
      await this.reload().catch(() => {});
      return;
    }
    if (status === 422 || status === 409) {
      // a shape the server cannot use, or an invalid plan: its violations go on the map
      const problem = err.problem || {};
      const check = problem.check || (problem.violations ? { ok: false, violations: problem.violations } : null);
      if (check) {
        this.check = normaliseCheck(check);
        this._emit('check', { check: this.check });
      }
    }
    const kind = status === 428 ? 'conflict' : 'error';
    this._emit('message', { kind, text: errorMessage(err), code: (err && err.code) || String(status || '') });
  }

  _setBusy(busy) {
    if (this.busy === busy) return;
    this.busy = busy;
    this._emit('busy', { busy });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** A check-like object from a 422 body: violations may be a list or a FeatureCollection. */
function normaliseCheck(check) {
  let violations = check.violations || { type: 'FeatureCollection', features: [] };
  if (Array.isArray(violations)) {
    violations = {
      type: 'FeatureCollection',
      features: violations.map((v) => (v.type === 'Feature' ? v : { type: 'Feature', geometry: v.where || null, properties: v })),
    };
  }
  const features = violations.features || [];
  const count = (sev) => features.filter((f) => (f.properties.severity || 'error') === sev).length;
  return {
    ok: false,
    errors: check.errors ?? count('error'),
    fixed: check.fixed ?? count('fixed'),
    warnings: check.warnings ?? count('warning'),
    violations,
  };
}
