// The report detail panel (#report-detail): facts, photos, duplicate hints, timeline and
// the action bar. Actions send If-Match with the loaded version; a 409/412 shows the
// server's message in the current language and reloads. A live `reports` event for the
// open report reloads it. Fires 'select' {detail: {id, report}} (id null when closed).
import { errorMessage, isAbort } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { debounce, esc } from '../util.js';
import { toast } from '../controls/toast.js';
import { act, getReport } from './api.js';
import { ActionBar } from './actions.js';
import { categoryName } from './format.js';
import { duplicatesHtml, factsHtml, headHtml, photosHtml, timelineHtml } from './detail-view.js';

const DONE = {
  accept: (id) => t('center.done.accept', { id }),
  reject: (id) => t('center.done.reject', { id }),
  merge: (id) => t('center.done.merge', { id }),
  revisit: (id) => t('center.done.revisit', { id }),
  archive: (id) => t('center.done.archive', { id }),
};

export class DetailPanel extends EventTarget {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root      #report-detail
   * @param {import('../live.js').LiveClient} o.live
   * @param {(id) => object|null} o.lookup   what the queue knows of another report
   * @param {import('./lightbox.js').Lightbox} o.lightbox
   * @param {import('./dispatch.js').DispatchPanel} o.dispatch
   */
  constructor({ root, live, lookup, lightbox, dispatch }) {
    super();
    Object.assign(this, { root, live, lookup, lightbox, dispatch });
    this.id = null;
    this.report = null;
    this.head = root.querySelector('.gl-rd__title');
    this.body = root.querySelector('.gl-rd__body');
    this.actions = new ActionBar({
      root: root.querySelector('.gl-rd__actions'),
      onAct: (action, body) => this.act(action, body),
      onDispatch: () => this.startDispatch(),
      onError: (message) => toast(message, { kind: 'error' }),
    });
    this._controller = null;
    this._reloadSoon = debounce(() => this.reload(), 250);
    this._onClick = (ev) => this._click(ev);
    this._onEvent = (ev) => this._applyEvent(ev.detail);
    this._onReset = () => this.reload();
    this._onDispatched = () => this.reload();
    this._onDispatchClosed = () => this.root.classList.remove('is-dispatching');
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.live.addEventListener('event', this._onEvent);
    this.live.addEventListener('reset', this._onReset);
    this.dispatch.addEventListener('dispatched', this._onDispatched);
    this.dispatch.addEventListener('close', this._onDispatchClosed);
    this.actions.mount();
    this._offLang = onLangChange(() => this.render());
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.live.removeEventListener('event', this._onEvent);
    this.live.removeEventListener('reset', this._onReset);
    this.dispatch.removeEventListener('dispatched', this._onDispatched);
    this.dispatch.removeEventListener('close', this._onDispatchClosed);
    this.actions.unmount();
    if (this._offLang) this._offLang();
    this._reloadSoon.cancel();
  }

  open(id) {
    if (String(id) === String(this.id) && !this.root.hidden) return this.reload();
    this.dispatch.close();
    this.id = Number(id);
    this.report = null;
    this.root.hidden = false;
    this.root.dataset.reportId = String(this.id);
    delete this.root.dataset.status;
    this.head.innerHTML = `<h2 id="rd-title">#${esc(this.id)}</h2>`;
    this.body.innerHTML = `<p class="gl-muted gl-rd__loading">${esc(t('common.loading'))}</p>`;
    this.actions.render(null);
    this._select();
    return this.reload();
  }

  close() {
    if (this._controller) this._controller.abort();
    this.dispatch.close();
    this.id = null;
    this.report = null;
    this.root.hidden = true;
    delete this.root.dataset.reportId;
    delete this.root.dataset.status;
    this._select();
  }

  async reload() {
    if (this.id === null) return;
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    const id = this.id;
    try {
      const report = await getReport(id, controller.signal);
      if (controller.signal.aborted || id !== this.id) return;
      this.report = report;
      this.render();
      this._select();
      if (this.dispatch.isOpen() && !(report.allowed_actions || []).includes('dispatch')) this.dispatch.close();
    } catch (err) {
      if (isAbort(err) || id !== this.id) return;
      if (!this.report) this.body.innerHTML = `<p class="gl-rd__error">${esc(errorMessage(err))}</p>`;
      else toast(errorMessage(err), { kind: 'error' });
    } finally {
      if (this._controller === controller) this._controller = null;
    }
  }

  render() {
    const d = this.report;
    if (!d) return;
    this.root.dataset.status = d.status;
    this.head.innerHTML = headHtml(d, categoryName(d));
    const canMerge = (d.allowed_actions || []).includes('merge');
    const scroll = this.body.scrollTop;
    this.body.innerHTML = factsHtml(d) + photosHtml(d.photos) + duplicatesHtml(d, this.lookup, canMerge)
      + timelineHtml(d.timeline);
    this.body.scrollTop = scroll;
    this.actions.render(d);
  }

  /** Run a lifecycle action on the loaded version. */
  async act(action, body) {
    const d = this.report;
    if (!d) return;
    this.actions.setBusy(true);
    try {
      await act(d.id, action, body, d.version);
      toast(DONE[action](d.id), { kind: 'ok' });
      this.actions.form = null;
    } catch (err) {
      toast(errorMessage(err), { kind: 'error' });
    } finally {
      this.actions.setBusy(false);
    }
    await this.reload(); // after a 409/412 too: show what the report is now
  }

  startDispatch() {
    if (!this.report) return;
    this.root.classList.add('is-dispatching');
    this.dispatch.open(this.report);
  }

  _select() {
    this.dispatchEvent(new CustomEvent('select', { detail: { id: this.id, report: this.report } }));
  }

  _applyEvent(msg) {
    if (msg.topic !== 'reports' || !msg.payload || this.id === null) return;
    if (Number(msg.payload.id) !== this.id) return;
    if (this.report && msg.payload.version != null && msg.payload.version <= this.report.version) return;
    this._reloadSoon();
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    const photo = ev.target.closest('[data-photo]');
    if (photo && this.report) return this.lightbox.open(this.report.photos, Number(photo.dataset.photo));
    const other = ev.target.closest('[data-open-report]');
    if (other) return this.open(Number(other.dataset.openReport));
    const merge = ev.target.closest('[data-merge-into]');
    if (merge) return this.actions.mergeInto(Number(merge.dataset.mergeInto));
    return undefined;
  }
}
