// "My tasks": GET /api/tasks as a list (`.gl-task[data-report-id][data-status]`) with a
// live deadline countdown, overdue in red, the escalation level, distance from me, and
// the actions 认领 (claim), 办结 (resolve, handled by the page) and 导航 (geo: link).
// Refreshes on `reports` events that touch me, my grids' pool or a listed task; a task
// newly dispatched to me pops a toast. Fires 'change' {tasks}, 'select' {task|null},
// 'resolve' {task}.
import { L } from 'leaflet';
import { claimReport, getTasks } from './api.js';
import { categoryName, deadlineState, distance, geoUri } from './format.js';
import { errorMessage, isAbort } from '../api.js';
import { t, onLangChange } from '../i18n.js';
import { debounce, esc } from '../util.js';
import { toast } from '../controls/toast.js';

const POLL_MS = 60000;

export class TaskList extends EventTarget {
  /**
   * @param {object} options
   * @param {HTMLElement} options.el        the <ul> the tasks go in
   * @param {object} options.me             /api/me (worker_id, grid_ids)
   * @param {EventTarget} [options.live]    the LiveClient
   * @param {object[]} [options.categories] /api/categories, for names in English
   */
  constructor(options) {
    super();
    this.options = options;
    this.tasks = [];
    this.state = 'loading';
    this.selectedId = null;
    this.here = null; // my position (L.LatLng)
    this._busy = new Set(); // report ids with a claim in flight
    this._controller = null;
    this.refreshSoon = debounce(() => this.refresh(), 250);
    this._onEvent = (ev) => this._event(ev.detail);
    this._onReset = () => this.refreshSoon();
    this._onClick = (ev) => this._click(ev);
    this._offLang = null;
  }

  mount() {
    const { el, live } = this.options;
    el.addEventListener('click', this._onClick);
    if (live) {
      live.addEventListener('event', this._onEvent);
      live.addEventListener('reset', this._onReset);
    }
    this._offLang = onLangChange(() => this.render());
    this._tick = setInterval(() => this._countdown(), 1000);
    this._poll = setInterval(() => this.refresh(), POLL_MS);
    this.refresh();
    return this;
  }

  unmount() {
    const { el, live } = this.options;
    el.removeEventListener('click', this._onClick);
    if (live) {
      live.removeEventListener('event', this._onEvent);
      live.removeEventListener('reset', this._onReset);
    }
    if (this._offLang) this._offLang();
    clearInterval(this._tick);
    clearInterval(this._poll);
  }

  async refresh() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const tasks = await getTasks(controller.signal);
      if (controller.signal.aborted) return;
      this.tasks = tasks;
      this.state = 'ready';
    } catch (err) {
      if (isAbort(err)) return;
      this.state = this.tasks.length ? 'ready' : 'error';
      this.error = errorMessage(err);
    }
    if (this.selectedId !== null && !this.find(this.selectedId)) this.select(null);
    this.render();
    this._emit('change', { tasks: this.tasks });
  }

  find(id) {
    return this.tasks.find((task) => String(task.id) === String(id)) || null;
  }

  select(id) {
    this.selectedId = id === null ? null : Number(id);
    for (const li of this.options.el.querySelectorAll('.gl-task')) {
      li.classList.toggle('is-selected', Number(li.dataset.reportId) === this.selectedId);
    }
    this._emit('select', { task: this.selectedId === null ? null : this.find(this.selectedId) });
  }

  /** My position changed: distances follow. */
  setHere(latlng) {
    this.here = latlng;
    for (const li of this.options.el.querySelectorAll('.gl-task')) {
      const task = this.find(li.dataset.reportId);
      const out = li.querySelector('.gl-task__dist');
      if (task && out) out.textContent = this._distance(task);
    }
  }

  categoryOf(task) {
    return categoryName(this.options.categories, task.category, task.category_name);
  }

  _distance(task) {
    if (!this.here) return '';
    return distance(this.here.distanceTo(L.latLng(task.lat, task.lon)));
  }

  _event(msg) {
    if (!msg || msg.topic !== 'reports') return;
    const p = msg.payload || {};
    const { worker_id: workerId, grid_ids: gridIds = [] } = this.options.me;
    const mine = workerId !== null && workerId !== undefined && p.assignee_worker_id === workerId;
    const pool = p.pool_grid_id !== null && p.pool_grid_id !== undefined && gridIds.includes(p.pool_grid_id);
    const known = Boolean(this.find(p.id));
    if (!mine && !pool && !known) return;
    const byMe = p.step && p.step.actor === this.options.me.display_name; // e.g. fixed on the spot
    if (msg.kind === 'dispatch' && (mine || pool) && !byMe && (!known || p.status === 'dispatched')) {
      const vars = { category: categoryName(this.options.categories, p.category, p.category_name), id: p.id };
      toast(t(mine ? 'field.tasks.newMine' : 'field.tasks.newPool', vars), { kind: 'ok', ms: 8000 });
      if (navigator.vibrate) navigator.vibrate(200);
    } else if (msg.kind === 'escalate' && mine) {
      toast(t('field.tasks.escalated', { id: p.id }), { kind: 'error', ms: 8000 });
    }
    this.refreshSoon();
  }

  async _claim(task, button) {
    if (this._busy.has(task.id)) return;
    this._busy.add(task.id);
    button.disabled = true;
    button.textContent = t('field.tasks.claiming');
    try {
      await claimReport(task.id);
      toast(t('field.tasks.claimed', { id: task.id }), { kind: 'ok' });
    } catch (err) {
      toast(err && err.status === 409 ? t('field.tasks.claimedByOther') : errorMessage(err), { kind: 'error' });
    } finally {
      this._busy.delete(task.id);
      await this.refresh();
    }
  }

  _click(ev) {
    const li = ev.target.closest('.gl-task');
    if (!li) {
      if (ev.target.closest('[data-action=reload]')) this.refresh();
      return;
    }
    const task = this.find(li.dataset.reportId);
    if (!task) return;
    const action = ev.target.closest('[data-action]');
    if (action && action.dataset.action === 'claim') this._claim(task, action);
    else if (action && action.dataset.action === 'resolve') this._emit('resolve', { task });
    else if (!action) this.select(task.id);
  }

  render() {
    const { el } = this.options;
    el.dataset.state = this.state;
    if (this.state === 'loading') {
      el.innerHTML = `<li class="gl-empty">${esc(t('common.loading'))}</li>`;
      return;
    }
    if (this.state === 'error') {
      el.innerHTML = `<li class="gl-empty gl-empty--error">${esc(this.error)} `
        + `<button type="button" class="gl-btn gl-btn--ghost-dark" data-action="reload">${esc(t('boot.retry'))}</button></li>`;
      return;
    }
    if (!this.tasks.length) {
      el.innerHTML = `<li class="gl-empty"><strong>${esc(t('field.tasks.empty'))}</strong>`
        + `<span>${esc(t('field.tasks.emptyHint'))}</span></li>`;
      return;
    }
    el.innerHTML = this.tasks.map((task) => this._item(task)).join('');
    this._countdown();
  }

  _item(task) {
    const category = this.categoryOf(task);
    const claimed = task.status === 'claimed';
    const kind = claimed ? 'claimed' : task.mine ? 'mine' : 'pool';
    const badges = [`<span class="gl-badge gl-badge--${kind}">${esc(t(`field.tasks.kind.${kind}`))}</span>`];
    if (task.escalation_level > 0) {
      badges.push(`<span class="gl-badge gl-badge--escalated">${esc(t('field.tasks.escalation', { level: task.escalation_level }))}</span>`);
    }
    const action = claimed
      ? `<button type="button" class="gl-btn gl-btn--ok" data-action="resolve">${esc(t('field.tasks.resolve'))}</button>`
      : `<button type="button" class="gl-btn gl-btn--primary" data-action="claim"${this._busy.has(task.id) ? ' disabled' : ''}>${esc(t(task.pool && !task.mine ? 'field.tasks.grab' : 'field.tasks.claim'))}</button>`;
    const selected = task.id === this.selectedId ? ' is-selected' : '';
    return `<li class="gl-task${selected}" data-report-id="${task.id}" data-status="${esc(task.status)}" tabindex="0">
      <div class="gl-task__top"><span class="gl-task__cat">${esc(category)}</span>${badges.join('')}<span class="gl-task__id">#${task.id}</span></div>
      <p class="gl-task__desc">${esc(task.description)}</p>
      <div class="gl-task__foot">
        <span class="gl-task__deadline" data-deadline="${esc(task.deadline_at || '')}"></span>
        <span class="gl-task__dist">${esc(this._distance(task))}</span>
        <span class="gl-task__actions">
          <a class="gl-btn gl-btn--ghost-dark" data-action="navigate" href="${esc(geoUri(task.lat, task.lon, category))}">${esc(t('field.tasks.navigate'))}</a>
          ${action}
        </span>
      </div>
    </li>`;
  }

  _countdown() {
    const now = Date.now();
    for (const out of this.options.el.querySelectorAll('.gl-task__deadline')) {
      const state = deadlineState(out.dataset.deadline, now);
      if (out.textContent !== state.text) out.textContent = state.text;
      out.dataset.kind = state.kind;
      out.closest('.gl-task').classList.toggle('gl-task--overdue', state.kind === 'overdue');
    }
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
