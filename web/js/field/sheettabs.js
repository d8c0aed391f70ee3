// Tabs of the patroller's bottom sheet: `button[data-tab]` show the matching
// `[data-panel]`; the sheet carries data-tab. Choosing a tab also opens a collapsed
// sheet. Fires 'change' {tab}.
const STORAGE_KEY = 'gridlink.patrol.tab';

export class SheetTabs extends EventTarget {
  /** @param {HTMLElement} sheet  the #sheet section */
  constructor(sheet) {
    super();
    this.sheet = sheet;
    this.tab = null;
    this._onClick = (ev) => {
      const button = ev.target.closest('button[data-tab]');
      if (button) this.show(button.dataset.tab);
    };
  }

  mount() {
    this.sheet.querySelector('[role=tablist]').addEventListener('click', this._onClick);
    let saved = null;
    try {
      saved = window.sessionStorage.getItem(STORAGE_KEY);
    } catch {
      saved = null;
    }
    this.show(saved && this.sheet.querySelector(`[data-panel="${saved}"]`) ? saved : 'grid');
    return this;
  }

  unmount() {
    this.sheet.querySelector('[role=tablist]').removeEventListener('click', this._onClick);
  }

  show(tab) {
    this.sheet.classList.remove('is-collapsed');
    if (tab === this.tab) return;
    this.tab = tab;
    this.sheet.dataset.tab = tab;
    for (const button of this.sheet.querySelectorAll('button[data-tab]')) {
      button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    }
    for (const panel of this.sheet.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== tab;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, tab);
    } catch {
      // the choice lasts for this page
    }
    this.dispatchEvent(new CustomEvent('change', { detail: { tab } }));
  }
}
