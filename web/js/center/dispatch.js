// The dispatch panel (#dispatch-panel): ranked candidates (the report's grid's people
// first, then the nearest online), drawn on the map as numbered markers; one click
// assigns. Also: the category's department, the grid's claim pool, and an optional
// deadline in hours (empty = the category's default). Fires 'dispatched' after a
// dispatch (or a refused one, so that the detail reloads) and 'close'.
import { errorMessage, isAbort } from '../api.js';
import { onLangChange, pick, t, tOr } from '../i18n.js';
import { esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { act, getCandidates, getCategories } from './api.js';
import { CandidatesLayer } from './candidates-layer.js';
import { categoryName } from './format.js';

function distance(m) {
  if (!Number.isFinite(m)) return t('center.dispatch.noPosition');
  return m < 1000 ? t('center.dispatch.meters', { m: Math.round(m) }) : t('center.dispatch.km', { km: (m / 1000).toFixed(1) });
}

function candidateHtml(w, n) {
  const online = w.status === 'online';
  const eta = Number.isFinite(w.eta_min) ? t('center.dispatch.eta', { min: Math.max(1, Math.round(w.eta_min)) }) : '';
  const meta = [distance(w.distance_m), eta, t('center.dispatch.load', { n: w.open_tasks })].filter(Boolean);
  return `<li class="gl-candidate-item${w.responsible ? ' is-responsible' : ''}" data-worker-id="${esc(w.id)}">`
    + `<span class="gl-cand__n${online ? '' : ' is-offline'}">${n}</span>`
    + '<span class="gl-cand__main"><span class="gl-cand__top">'
    + `<b>${esc(w.name)}</b><span class="gl-cand__role">${esc(tOr(`role.${w.role}`, w.role))}</span>`
    + `<span class="gl-cand__state"><i class="gl-dot ${online ? 'gl-dot--on' : 'gl-dot--off'}"></i>${esc(t(online ? 'worker.online' : 'worker.offline'))}</span>`
    + (w.responsible ? `<span class="gl-tag">${esc(t('center.dispatch.responsible'))}</span>` : '')
    + `</span><span class="gl-cand__meta">${esc(meta.join(' · '))}</span></span>`
    + `<button type="button" class="gl-btn gl-btn--sm gl-btn--primary" data-assign="${esc(w.id)}">${esc(t('center.dispatch.assign'))}</button></li>`;
}

export class DispatchPanel extends EventTarget {
  constructor({ root, map }) {
    super();
    this.root = root;
    this.map = map;
    this.report = null;
    this.data = null;
    this.layer = null;
    this._categories = null;
    this._controller = null;
    this._onClick = (ev) => this._click(ev);
    this._onOver = (ev) => this._hover(ev);
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('mouseover', this._onOver);
    this._offLang = onLangChange(() => this.render());
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('mouseover', this._onOver);
    if (this._offLang) this._offLang();
    this.close();
  }

  isOpen() {
    return this.report !== null;
  }

  async open(report) {
    this.close(false);
    this.report = report;
    this.root.hidden = false;
    this.root.dataset.reportId = String(report.id);
    this.render();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const [data] = await Promise.all([getCandidates(report.id, controller.signal), this._loadCategories(controller.signal)]);
      if (controller.signal.aborted) return;
      this.data = data;
      this.render();
      this._draw();
    } catch (err) {
      if (isAbort(err)) return;
      this.root.querySelector('.gl-cands').innerHTML = `<li class="gl-rd__error">${esc(errorMessage(err))}</li>`;
    }
  }

  /** Hide the panel and take the candidates off the map. */
  close(notify = true) {
    if (this._controller) this._controller.abort();
    this._controller = null;
    if (this.layer) this.map.removeLayer(this.layer);
    this.layer = null;
    const wasOpen = this.report !== null;
    this.report = null;
    this.data = null;
    this.root.hidden = true;
    delete this.root.dataset.reportId;
    if (notify && wasOpen) this.dispatchEvent(new CustomEvent('close'));
  }

  render() {
    const r = this.report;
    if (!r) return;
    const hours = this._defaultHours();
    const kept = this.root.querySelector('#dispatch-deadline');
    const deadline = kept ? kept.value : '';
    const workers = this.data ? this.data.workers : null;
    const list = workers === null
      ? `<li class="gl-muted">${esc(t('common.loading'))}</li>`
      : workers.length ? workers.map((w, i) => candidateHtml(w, i + 1)).join('')
        : `<li class="gl-muted">${esc(t('center.dispatch.none'))}</li>`;
    const dept = this.data && this.data.department;
    const deptButton = dept
      ? `<button type="button" class="gl-btn gl-btn--plain" data-assign-dept="${esc(dept.id)}">${esc(t('center.dispatch.toDept', { name: pick(dept.name, dept.name_en) }))}</button>` : '';
    const poolButton = r.grid_id
      ? `<button type="button" class="gl-btn gl-btn--plain" data-assign-pool>${esc(t('center.dispatch.toPool'))}</button>` : '';
    this.root.innerHTML = '<div class="gl-dp__head">'
      + `<h3>${esc(t('center.dispatch.title'))} <span class="gl-muted">${esc(categoryName(r))} #${esc(r.id)}</span></h3>`
      + `<button type="button" class="gl-btn gl-btn--plain gl-btn--sm" data-dp-close>${esc(t('center.dispatch.back'))}</button></div>`
      + '<div class="gl-dp__deadline">'
      + `<label for="dispatch-deadline">${esc(t('center.dispatch.deadline'))}</label>`
      + `<input id="dispatch-deadline" type="number" min="0.5" max="720" step="0.5" inputmode="decimal" value="${esc(deadline)}"`
      + ` placeholder="${esc(hours ? t('center.dispatch.defaultHours', { h: hours }) : t('center.dispatch.default'))}">`
      + `<span>${esc(t('center.dispatch.hours'))}</span></div>`
      + (deptButton || poolButton ? `<div class="gl-dp__alt">${deptButton}${poolButton}</div>` : '')
      + `<h4 class="gl-dp__sub">${esc(t('center.dispatch.people'))}</h4>`
      + `<p class="gl-dp__hint gl-muted">${esc(t('center.dispatch.hint'))}</p>`
      + `<ol class="gl-cands">${list}</ol>`;
  }

  _defaultHours() {
    if (!this._categories || !this.report) return null;
    const cat = this._categories.find((c) => c.code === this.report.category);
    return cat ? cat.deadline_hours : null;
  }

  async _loadCategories(signal) {
    if (this._categories) return;
    try {
      this._categories = await getCategories(signal);
    } catch (err) {
      if (isAbort(err)) throw err;
      this._categories = []; // the placeholder just says "default"
    }
  }

  _draw() {
    const r = this.report;
    if (!r || !this.data || !Number.isFinite(r.lat)) return;
    this.layer = new CandidatesLayer({ report: r, workers: this.data.workers }).addTo(this.map);
    this.layer.on('pick', (ev) => this._focusItem(ev.workerId));
    this.map.fitBounds(this.layer.centredBounds(), { padding: [48, 48], maxZoom: 17 });
  }

  _focusItem(workerId) {
    const item = this.root.querySelector(`.gl-candidate-item[data-worker-id="${workerId}"]`);
    if (!item) return;
    for (const el of this.root.querySelectorAll('.gl-candidate-item.is-hot')) el.classList.remove('is-hot');
    item.classList.add('is-hot');
    item.scrollIntoView({ block: 'nearest' });
    if (this.layer) this.layer.highlight(workerId);
  }

  _hover(ev) {
    const item = ev.target.closest('.gl-candidate-item');
    if (this.layer) this.layer.highlight(item ? item.dataset.workerId : null);
  }

  _click(ev) {
    if (ev.target.closest('[data-dp-close]')) return this.close();
    const worker = ev.target.closest('[data-assign]');
    if (worker) return this.assign({ worker_id: Number(worker.dataset.assign) });
    const dept = ev.target.closest('[data-assign-dept]');
    if (dept) return this.assign({ department_id: Number(dept.dataset.assignDept) });
    if (ev.target.closest('[data-assign-pool]')) return this.assign({ pool: true });
    const item = ev.target.closest('.gl-candidate-item');
    if (item && this.layer) this.layer.highlight(item.dataset.workerId);
    return undefined;
  }

  async assign(target) {
    const r = this.report;
    if (!r) return;
    const raw = this.root.querySelector('#dispatch-deadline').value.trim();
    const hours = raw === '' ? undefined : Number(raw);
    if (hours !== undefined && !(hours > 0 && hours <= 720)) {
      toast(t('center.dispatch.badDeadline'), { kind: 'error' });
      return;
    }
    for (const b of this.root.querySelectorAll('button')) b.disabled = true;
    try {
      await act(r.id, 'dispatch', { ...target, deadline_hours: hours }, r.version);
      toast(t('center.done.dispatch', { id: r.id }), { kind: 'ok' });
    } catch (err) {
      toast(errorMessage(err), { kind: 'error' });
      if (err.status !== 409 && err.status !== 412) {
        for (const b of this.root.querySelectorAll('button')) b.disabled = false;
        return;
      }
    }
    this.close();
    this.dispatchEvent(new CustomEvent('dispatched', { detail: { id: r.id } }));
  }
}
