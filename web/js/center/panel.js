// What the desk's panels over the map share (figures, visits, the coverage report): the
// opener toggles the panel (`aria-pressed`), a click or Enter on a row goes to `_click`,
// live events of the panel's topic refresh it while open (2 s), a language change renders
// it again, closing drops the load under way and the outlined grid; a row's grid is
// outlined and fitted with `zoomTo`; the community picker (`picker`) calls
// `setCommunity(id | null)`; a click on `[data-close]`, a sortable header (`columns`,
// see sort-table.js) or a row is handled here. A subclass gives `body`, `load()` (through
// `this._fetch`), `render()` and `setCommunity(id)`, handles its own clicks in `_click`
// before super's, and adds any listeners of its own in `mount()`/`unmount()`. Fires 'open'.
import { errorMessage } from '../api.js';
import { getLang, onLangChange } from '../i18n.js';
import { debounce, esc, latestOnly } from '../util.js';
import { GridFocus } from './grid-focus.js';
import { nextSort } from './sort-table.js';

export class MapPanel extends EventTarget {
  /**
   * @param {{root: HTMLElement, opener: HTMLElement, map: L.Map, live: EventTarget}} options
   * @param {{topic: string, picker: string, rows: string, rowId: string, focus: {edge, style},
   *   columns?: object[], refreshOnReset?: boolean}} kind
   *   `picker`: the selector of the community <select>, `rows`: of the rows that zoom,
   *   `rowId`: the rows' dataset key of the grid id, `columns`: of a sortable table.
   */
  constructor({ root, opener, map, live }, { topic, picker, rows, rowId, focus, columns = [], refreshOnReset = true }) {
    super();
    Object.assign(this, { root, opener, map, live });
    this.columns = columns;
    this.loadedAt = null;
    this.picker = root.querySelector(picker);
    this.selected = null;
    this.focus = new GridFocus({ map, panel: root, ...focus });
    this._rows = rows;
    this._rowId = rowId;
    this._fetch = latestOnly();
    this._refresh = debounce(() => this.load(), 2000);
    this._onOpener = () => (this.isOpen() ? this.close() : this.open());
    this._onClick = (ev) => this._click(ev);
    this._onPick = () => this.setCommunity(this.picker.value ? Number(this.picker.value) : null);
    this._onKey = (ev) => {
      if (ev.key === 'Enter' && ev.target.matches(rows)) this._click(ev);
    };
    this._onEvent = (ev) => {
      if (this.isOpen() && ev.detail && ev.detail.topic === topic) this._refresh();
    };
    this._onReset = refreshOnReset ? () => this.isOpen() && this._refresh() : null;
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.root.addEventListener('click', this._onClick);
    this.root.addEventListener('keydown', this._onKey);
    this.picker.addEventListener('change', this._onPick);
    this.live.addEventListener('event', this._onEvent);
    if (this._onReset) this.live.addEventListener('reset', this._onReset);
    this._offLang = onLangChange(() => this._langChanged());
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.root.removeEventListener('click', this._onClick);
    this.root.removeEventListener('keydown', this._onKey);
    this.picker.removeEventListener('change', this._onPick);
    this.live.removeEventListener('event', this._onEvent);
    if (this._onReset) this.live.removeEventListener('reset', this._onReset);
    if (this._offLang) this._offLang();
    this.close();
  }

  isOpen() {
    return !this.root.hidden;
  }

  open() {
    this.root.hidden = false;
    this.opener.setAttribute('aria-pressed', 'true');
    this.dispatchEvent(new CustomEvent('open'));
    this.render();
    return this.load();
  }

  close() {
    this.root.hidden = true;
    this.opener.setAttribute('aria-pressed', 'false');
    this._refresh.cancel();
    this._fetch.abort();
    this.focus.clear();
  }

  /** Select the row of grid `id`, then outline the grid and fit it beside the panel. */
  zoomTo(id) {
    this.selected = id;
    for (const el of this.body.querySelectorAll(this._rows)) el.classList.toggle('is-selected', el.dataset[this._rowId] === String(id));
    return this.focus.show(id, () => this.selected === id && this.isOpen());
  }

  /** The picker's options: `all` first, then [{id, name}]; it shows `selectedId` (null: all). */
  _fillPicker(communities, { all, selectedId }) {
    const options = [`<option value="">${esc(all)}</option>`]
      .concat(communities.map((c) => `<option value="${esc(c.id)}">${esc(c.name)}</option>`));
    this.picker.innerHTML = options.join('');
    this.picker.value = selectedId === null ? '' : String(selectedId);
  }

  /** A click in the panel: close, sort by a header, or zoom to a row's grid. */
  _click(ev) {
    if (ev.target.closest('[data-close]')) return this.close();
    const th = ev.target.closest('th[data-sort]');
    if (th) return this._sortBy(th.dataset.sort);
    const row = ev.target.closest(this._rows);
    if (row && row.dataset[this._rowId] !== undefined) return this.zoomTo(Number(row.dataset[this._rowId]));
    return undefined;
  }

  _sortBy(key) {
    this.sort = nextSort(this.sort, this.columns, key);
    this.render();
  }

  /** The line under a table: `text(time)` with the time of the last load, and a failed refresh's error. */
  _footLine(text) {
    const at = this.loadedAt ? this.loadedAt.toLocaleTimeString(getLang(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
    const stale = this.error ? ` · <span class="is-error">${esc(errorMessage(this.error))}</span>` : '';
    return `<p class="gl-fig__foot">${esc(text(at))}${stale}</p>`;
  }

  _langChanged() {
    this.render();
  }

  /** New markup for the body; a live refresh keeps the reader's place. */
  _fillBody(html) {
    const scroll = this.body.scrollTop;
    this.body.innerHTML = html;
    this.body.scrollTop = scroll;
  }
}
