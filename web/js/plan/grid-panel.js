// The draft's grids as a list, and the selected grid: its tools (edit vertices, drag,
// cut, split, merge, retire) and its attributes (name, English name, code, head,
// workers), saved with If-Match through the session.
// Hooks: `.gl-plan-grid-item[data-key][data-action]` (class `is-selected`),
// `#plan-grid-sel[data-key][data-action][data-grid-id]`, `button[data-tool=…]`,
// `#grid-form` with `#grid-name`, `#grid-name-en`, `#grid-code`, `select#grid-head`,
// `input[data-worker-id]`, `button#grid-save`; retire asks twice (`data-confirm="1"`).
import { applyI18n, onLangChange, pick, t } from '../i18n.js';
import { esc } from '../util.js';
import { retireGrid, updateGrid } from './api.js';

export class GridPanel {
  /** @param {{root, session, tools, pool, canWrite, onFocus: (key) => void}} options */
  constructor({ root, session, tools, pool, canWrite, onFocus }) {
    this.root = root;
    this.session = session;
    this.tools = tools;
    this.pool = pool;
    this.canWrite = canWrite;
    this.onFocus = onFocus;
    this.$ = (sel) => root.querySelector(sel);
    this._onClick = (ev) => this._click(ev);
    this._onSubmit = (ev) => this._save(ev);
    this._onGrids = () => {
      this._renderList();
      this._renderSelected();
    };
    this._onSelect = () => {
      this._renderList();
      this._renderSelected();
    };
    this._onBusy = () => this._syncDisabled();
    this._people = null;
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.$('#grid-form').addEventListener('submit', this._onSubmit);
    this.session.addEventListener('grids', this._onGrids);
    this.session.addEventListener('select', this._onSelect);
    this.session.addEventListener('plan', this._onBusy);
    this.session.addEventListener('busy', this._onBusy);
    this._offLang = onLangChange(() => this._onGrids());
    this._onGrids();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.$('#grid-form').removeEventListener('submit', this._onSubmit);
    this.session.removeEventListener('grids', this._onGrids);
    this.session.removeEventListener('select', this._onSelect);
    this.session.removeEventListener('plan', this._onBusy);
    this.session.removeEventListener('busy', this._onBusy);
    if (this._offLang) this._offLang();
  }

  /** Re-render the people choices once the worker pool has loaded. */
  poolLoaded() {
    this._renderSelected();
  }

  get writable() {
    return this.canWrite && this.session.editable;
  }

  _renderList() {
    const list = this.$('#plan-grid-list');
    const features = [...this.session.grids.features].sort((a, b) => {
      const ra = a.properties.action === 'retire';
      const rb = b.properties.action === 'retire';
      return ra - rb || String(a.properties.code).localeCompare(String(b.properties.code));
    });
    list.innerHTML = features.map((f) => {
      const p = f.properties;
      const selected = String(p.key) === this.session.selected ? ' is-selected' : '';
      return `<li><button type="button" class="gl-plan-grid-item${selected}" data-key="${esc(p.key)}" data-action="${esc(p.action)}">
        <span class="gl-act gl-act--${esc(p.action)}">${esc(t(`plan.action.${p.action}`))}</span>
        <b>${esc(pick(p.name, p.name_en))}</b><span class="gl-muted">${esc(p.code || '')}</span>
        ${p.kind === 'dedicated' ? `<span class="gl-tag">${esc(t(`dedicated.${p.dedicated_type || 'other'}`))}</span>` : ''}
      </button></li>`;
    }).join('');
    this.$('#plan-grid-empty').hidden = features.length > 0 || !this.session.plan;
  }

  _renderSelected() {
    const box = this.$('#plan-grid-sel');
    const feature = this.session.feature(this.session.selected);
    box.hidden = !feature;
    if (!feature) {
      box.dataset.key = '';
      return;
    }
    const p = feature.properties;
    box.dataset.key = String(p.key);
    box.dataset.action = p.action;
    box.dataset.gridId = p.grid_id ?? '';
    this.$('.gl-pg__title').textContent = pick(p.name, p.name_en) || p.code;
    const act = this.$('.gl-pg__act');
    act.className = `gl-act gl-act--${p.action} gl-pg__act`;
    act.textContent = t(`plan.action.${p.action}`);
    const kind = p.kind === 'dedicated' ? t(`dedicated.${p.dedicated_type || 'other'}`) : t('plan.grid.comprehensive');
    this.$('.gl-pg__meta').textContent = `${p.code || ''} · ${kind}${p.grid_id ? ` · #${p.grid_id}` : ` · ${t('plan.grid.unsaved')}`}`;
    const form = this.$('#grid-form');
    form.elements.name.value = p.name || '';
    form.elements.name_en.value = p.name_en || '';
    form.elements.code.value = p.code || '';
    this._renderPeople(p);
    this._resetRetire();
    this._syncDisabled();
  }

  _renderPeople(p) {
    const head = this.$('#grid-head');
    const people = this.pool.list();
    const shown = this.pool.peopleOf(p);
    this._people = shown; // what the form started from: only a change is sent
    const ids = new Set(people.map((w) => w.id));
    const extra = [shown.head, ...shown.members].filter((id) => id !== null && id !== undefined && !ids.has(id));
    const all = [...people, ...[...new Set(extra)].map((id) => ({ id, name: this.pool.name(id), role: '' }))];
    // a head can be replaced but not removed (the server keeps the head a draft leaves out)
    const none = shown.head === null ? `<option value="">${esc(t('common.none'))}</option>` : '';
    head.innerHTML = none + all.map((w) => `<option value="${esc(w.id)}">${esc(w.name)}</option>`).join('');
    head.value = shown.head ?? '';
    const mine = new Set(shown.members.map(Number));
    this.$('#grid-workers').innerHTML = all.map((w) => `
      <label class="gl-pw"><input type="checkbox" data-worker-id="${esc(w.id)}"${mine.has(Number(w.id)) ? ' checked' : ''}>
      <span>${esc(w.name)}</span>${w.role ? `<span class="gl-muted">${esc(t(`role.${w.role}`))}</span>` : ''}</label>`).join('')
      || `<p class="gl-muted">${esc(t('plan.grid.noPeople'))}</p>`;
  }

  _syncDisabled() {
    const off = !this.writable || this.session.busy;
    for (const el of this.root.querySelectorAll('#grid-form :is(input, select, button), [data-tool]')) el.disabled = off;
    const feature = this.session.feature(this.session.selected);
    const retired = feature && feature.properties.action === 'retire';
    for (const el of this.root.querySelectorAll('[data-tool]')) el.disabled = off || retired;
    this.$('#grid-form').classList.toggle('is-readonly', !this.writable);
  }

  _click(ev) {
    const item = ev.target.closest('.gl-plan-grid-item');
    if (item) {
      this.tools.cancel();
      this.session.select(item.dataset.key);
      this.onFocus(item.dataset.key);
      return;
    }
    const button = ev.target.closest('button');
    if (!button) return;
    if (button.id === 'grid-deselect') {
      this.tools.cancel();
      this.session.select(null);
      return;
    }
    const tool = button.dataset.tool;
    const key = this.session.selected;
    if (!tool || !key) return;
    if (tool === 'retire') this._retire(button, key);
    else this.tools.start(tool, key);
  }

  _retire(button, key) {
    if (button.dataset.confirm !== '1') {
      button.dataset.confirm = '1';
      button.dataset.i18n = 'plan.tool.retireConfirm';
      applyI18n(button.parentElement);
      return;
    }
    this._resetRetire();
    this.session.run((plan) => retireGrid(plan, key), { okText: t('plan.msg.retired') });
  }

  _resetRetire() {
    const button = this.$('[data-tool="retire"]');
    delete button.dataset.confirm;
    button.dataset.i18n = 'plan.tool.retire';
    applyI18n(button.parentElement);
  }

  _save(ev) {
    ev.preventDefault();
    const key = this.session.selected;
    if (!key || !this.writable) return;
    const form = ev.currentTarget;
    const body = {
      name: form.elements.name.value.trim(),
      name_en: form.elements.name_en.value.trim() || null,
      code: form.elements.code.value.trim(),
    };
    const before = this._people || { head: null, members: [] };
    const head = form.elements.head.value ? Number(form.elements.head.value) : null;
    if (head !== null && head !== before.head) body.head_worker_id = head;
    const members = [...this.root.querySelectorAll('input[data-worker-id]:checked')].map((el) => Number(el.dataset.workerId));
    const same = members.length === before.members.length && members.every((id) => before.members.map(Number).includes(id));
    if (!same) body.worker_ids = members;
    this.session.run((plan) => updateGrid(plan, key, body), { okText: t('plan.msg.saved') });
  }
}
