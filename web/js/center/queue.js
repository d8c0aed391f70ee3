// The left panel: tabs 待受理 / 处置中 / 超时 over the ReportStore, with counts, a
// highlight for reports that just arrived, and the selected report marked. The markup
// (#queue-panel, #queue-tabs, #queue) is in index.html; this fills and follows it.
import { applyI18n, onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { TABS } from './store.js';
import { age, categoryName, escalationText, sourceIcon, statusBadge, timeLeft } from './format.js';

const EMPTY = {
  intake: () => t('center.queue.emptyIntake'),
  active: () => t('center.queue.emptyActive'),
  overdue: () => t('center.queue.emptyOverdue'),
};

export class QueuePanel {
  /** @param {{root: HTMLElement, store: import('./store.js').ReportStore, onOpen: (id) => void}} options */
  constructor({ root, store, onOpen }) {
    this.root = root;
    this.store = store;
    this.onOpen = onOpen;
    this.tab = 'intake';
    this.selected = null;
    this.list = root.querySelector('#queue');
    this.tabs = root.querySelector('#queue-tabs');
    this._onChange = () => this.render();
    this._onError = () => this.render();
    this._onClick = (ev) => this._click(ev);
    this._offLang = null;
    this._freshTimer = null;
    this._html = new WeakMap(); // item element → the markup it was made from
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.store.addEventListener('change', this._onChange);
    this.store.addEventListener('error', this._onError);
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.store.removeEventListener('change', this._onChange);
    this.store.removeEventListener('error', this._onError);
    if (this._offLang) this._offLang();
    clearTimeout(this._freshTimer);
  }

  setTab(tab) {
    if (!TABS.includes(tab)) return;
    this.tab = tab;
    this.list.scrollTop = 0;
    this.render();
  }

  setSelected(id) {
    this.selected = id === null || id === undefined ? null : String(id);
    for (const el of this.list.querySelectorAll('.gl-queue-item')) {
      el.classList.toggle('is-selected', el.dataset.reportId === this.selected);
    }
  }

  setCollapsed(collapsed) {
    this.root.classList.toggle('is-collapsed', collapsed);
    const toggle = this.root.querySelector('#queue-toggle');
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.dataset.i18nAttr = collapsed
      ? 'title:center.queue.expand;aria-label:center.queue.expand'
      : 'title:center.queue.collapse;aria-label:center.queue.collapse';
    applyI18n(this.root);
  }

  _click(ev) {
    const tabButton = ev.target.closest('#queue-tabs button[data-tab]');
    if (tabButton) {
      if (this.root.classList.contains('is-collapsed')) this.setCollapsed(false);
      this.setTab(tabButton.dataset.tab);
      return;
    }
    if (ev.target.closest('#queue-toggle')) {
      this.setCollapsed(!this.root.classList.contains('is-collapsed'));
      return;
    }
    const item = ev.target.closest('.gl-queue-item[data-report-id]');
    if (item) this.onOpen(Number(item.dataset.reportId));
  }

  render() {
    const now = Date.now();
    const counts = this.store.counts(now);
    for (const button of this.tabs.querySelectorAll('button[data-tab]')) {
      const tab = button.dataset.tab;
      button.setAttribute('aria-selected', String(tab === this.tab));
      const n = button.querySelector('.n');
      n.textContent = String(counts[tab]);
      n.dataset.count = String(counts[tab]);
    }
    this.list.dataset.tab = this.tab;
    if (!this.store.loaded) {
      this.list.innerHTML = `<p class="gl-cq__empty">${esc(t('common.loading'))}</p>`;
      return;
    }
    const rows = this.store.list(this.tab, now);
    if (!rows.length) {
      this.list.innerHTML = `<p class="gl-cq__empty">${esc(EMPTY[this.tab]())}</p>`;
    } else {
      this._reconcile(rows.map((r) => [String(r.id), this._item(r, now)]));
    }
    this._scheduleFreshEnd(rows, now);
  }

  /** Keep unchanged items' elements (no thumbnail flicker, focus kept), in row order. */
  _reconcile(entries) {
    const old = new Map();
    for (const el of this.list.querySelectorAll('.gl-queue-item')) old.set(el.dataset.reportId, el);
    for (const el of this.list.querySelectorAll(':scope > :not(.gl-queue-item)')) el.remove();
    const template = document.createElement('template');
    let cursor = this.list.firstElementChild;
    for (const [id, html] of entries) {
      let el = old.get(id);
      if (!el || this._html.get(el) !== html) {
        template.innerHTML = html;
        const fresh = template.content.firstElementChild;
        this._html.set(fresh, html);
        if (el) el.replaceWith(fresh);
        if (el && el === cursor) cursor = fresh;
        el = fresh;
      }
      old.delete(id);
      if (el !== cursor) this.list.insertBefore(el, cursor);
      else cursor = cursor.nextElementSibling;
    }
    for (const el of old.values()) el.remove();
  }

  _item(r, now) {
    const left = timeLeft(r.deadline_at, now);
    const overdue = left && left.state === 'overdue';
    const classes = ['gl-queue-item'];
    if (this.store.isFresh(r.id, now)) classes.push('is-new');
    if (String(r.id) === this.selected) classes.push('is-selected');
    if (overdue) classes.push('is-overdue');
    const time = this.tab === 'intake' || !left
      ? `<span class="gl-qi__time">${esc(age(r.created_at, now))}</span>`
      : `<span class="gl-qi__time is-${left.state}">${esc(left.text)}</span>`;
    const extra = [];
    if (this.tab !== 'intake') {
      const who = r.assignee_name || (r.pool_grid_id ? t('center.queue.pool') : '');
      if (who) extra.push(`<span class="gl-qi__who">${esc(who)}</span>`);
    }
    if (r.escalation_level) extra.push(`<span class="gl-qi__esc">${esc(escalationText(r.escalation_level))}</span>`);
    const thumb = r.thumb_url ? `<img class="gl-qi__thumb" src="${esc(r.thumb_url)}" alt="" loading="lazy">` : '';
    return `<button type="button" class="${classes.join(' ')}" data-report-id="${esc(r.id)}" data-status="${esc(r.status)}">`
      + `<span class="gl-qi__src">${sourceIcon(r.source)}</span>`
      + '<span class="gl-qi__main">'
      + `<span class="gl-qi__top"><span class="gl-qi__cat">${esc(categoryName(r))}</span>`
      + `${this.tab === 'intake' ? '' : statusBadge(r.status)}<span class="gl-qi__id">#${esc(r.id)}</span></span>`
      + `<span class="gl-qi__desc">${esc(r.description)}</span>`
      + `<span class="gl-qi__meta"><span class="gl-qi__grid">${esc(r.grid_name || t('center.noGrid'))}</span>${time}</span>`
      + (extra.length ? `<span class="gl-qi__meta">${extra.join('')}</span>` : '')
      + `</span>${thumb}</button>`;
  }

  /** Drop the highlight when the newest arrival's few seconds are over. */
  _scheduleFreshEnd(rows, now) {
    clearTimeout(this._freshTimer);
    if (!rows.some((r) => this.store.isFresh(r.id, now))) return;
    this._freshTimer = setTimeout(() => this.render(), 8200);
  }
}
