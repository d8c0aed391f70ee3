// A full-size photo over the page (#lightbox): click outside or Esc closes, arrows step
// through the report's photos. Key listeners exist only while it is open.
import { t } from '../i18n.js';
import { esc } from '../util.js';

export class Lightbox {
  constructor() {
    this.el = null;
    this.photos = [];
    this.index = 0;
    this._onKey = (ev) => {
      if (ev.key === 'Escape') this.close();
      else if (ev.key === 'ArrowRight') this.step(1);
      else if (ev.key === 'ArrowLeft') this.step(-1);
    };
    this._onClick = (ev) => {
      const nav = ev.target.closest('[data-step]');
      if (nav) this.step(Number(nav.dataset.step));
      else if (!ev.target.closest('img')) this.close();
    };
  }

  open(photos, index = 0) {
    if (!photos || !photos.length) return;
    this.photos = photos;
    this.index = index;
    if (!this.el) {
      this.el = document.createElement('div');
      this.el.id = 'lightbox';
      this.el.className = 'gl-lightbox';
      this.el.setAttribute('role', 'dialog');
      this.el.setAttribute('aria-modal', 'true');
      document.body.append(this.el);
      this.el.addEventListener('click', this._onClick);
      document.addEventListener('keydown', this._onKey);
    }
    this.render();
  }

  close() {
    if (!this.el) return;
    document.removeEventListener('keydown', this._onKey);
    this.el.removeEventListener('click', this._onClick);
    this.el.remove();
    this.el = null;
  }

  step(delta) {
    const n = this.photos.length;
    this.index = (this.index + delta + n) % n;
    this.render();
  }

  render() {
    const p = this.photos[this.index];
    const many = this.photos.length > 1;
    const kind = p.kind === 'result' ? t('center.detail.photosResult') : t('center.detail.photosIntake');
    this.el.setAttribute('aria-label', kind);
    this.el.innerHTML = `<figure><img src="${esc(p.url)}" alt="${esc(kind)}" width="${esc(p.width)}" height="${esc(p.height)}">`
      + `<figcaption>${esc(kind)} · ${this.index + 1} / ${this.photos.length}</figcaption></figure>`
      + `<button type="button" class="gl-lightbox__close" aria-label="${esc(t('center.close'))}">×</button>`
      + (many ? `<button type="button" class="gl-lightbox__nav is-prev" data-step="-1" aria-label="${esc(t('center.prev'))}">‹</button>`
        + `<button type="button" class="gl-lightbox__nav is-next" data-step="1" aria-label="${esc(t('center.next'))}">›</button>` : '');
  }
}
