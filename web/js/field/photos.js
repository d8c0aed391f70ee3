// Photo picker: one or more <input type=file> (camera, album) feeding a strip of
// thumbnails. Each photo is uploaded as soon as it is chosen (POST /api/uploads); a
// failed one can be retried with a tap, any one removed. Fires 'change' {busy, count}
// and 'exif' {lon, lat} when an uploaded photo carried GPS coordinates.
import { uploadPhoto } from './api.js';
import { errorMessage } from '../api.js';
import { t } from '../i18n.js';
import { toast } from '../controls/toast.js';

const MAX_BYTES = 10 * 1024 * 1024;

export class PhotoPicker extends EventTarget {
  /**
   * @param {object} options
   * @param {HTMLInputElement[]} options.inputs  file inputs (their change adds photos)
   * @param {HTMLElement} options.strip          where thumbnails go (before its first label)
   * @param {'intake'|'result'} [options.kind]
   * @param {boolean} [options.auth]             send the bearer token (field pages)
   * @param {number} [options.max]               at most this many photos (server: 9)
   */
  constructor(options) {
    super();
    this.options = { kind: 'intake', auth: true, max: 9, ...options };
    this.items = [];
    this._onChange = (ev) => {
      this.add([...ev.target.files]);
      ev.target.value = ''; // the same file can be chosen again
    };
    this._onClick = (ev) => this._click(ev);
  }

  mount() {
    for (const input of this.options.inputs) input.addEventListener('change', this._onChange);
    this.options.strip.addEventListener('click', this._onClick);
    this.render();
    return this;
  }

  unmount() {
    for (const input of this.options.inputs) input.removeEventListener('change', this._onChange);
    this.options.strip.removeEventListener('click', this._onClick);
  }

  /** Tokens of the uploaded photos, in the order they were chosen. */
  tokens() {
    return this.items.filter((it) => it.state === 'done').map((it) => it.photo.token);
  }

  get busy() {
    return this.items.some((it) => it.state === 'uploading');
  }

  clear() {
    for (const it of this.items) if (it.preview) URL.revokeObjectURL(it.preview);
    this.items = [];
    this.render();
    this._emit();
  }

  add(files) {
    for (const file of files) {
      if (this.items.length >= this.options.max) {
        toast(t('field.photo.tooMany', { max: this.options.max }), { kind: 'error' });
        break;
      }
      if (file.type && !file.type.startsWith('image/')) {
        toast(t('field.photo.notImage'), { kind: 'error' });
        continue;
      }
      if (file.size > MAX_BYTES) {
        toast(t('field.photo.tooLarge'), { kind: 'error' });
        continue;
      }
      const item = { id: Math.random().toString(36).slice(2), file, state: 'uploading', photo: null };
      try {
        item.preview = URL.createObjectURL(file);
      } catch {
        item.preview = null;
      }
      this.items.push(item);
      this._upload(item);
    }
    this.render();
    this._emit();
  }

  async _upload(item) {
    item.state = 'uploading';
    this.render();
    try {
      item.photo = await uploadPhoto(item.file, { kind: this.options.kind, auth: this.options.auth });
      item.state = 'done';
      if (item.photo.exif) {
        this.dispatchEvent(new CustomEvent('exif', { detail: { ...item.photo.exif } }));
      }
    } catch (err) {
      item.state = 'error';
      toast(errorMessage(err), { kind: 'error' });
    }
    if (!this.items.includes(item)) return; // removed while uploading
    this.render();
    this._emit();
  }

  _click(ev) {
    const el = ev.target.closest('[data-photo-id]');
    if (!el) return;
    const item = this.items.find((it) => it.id === el.dataset.photoId);
    if (!item) return;
    if (ev.target.closest('.gl-photo__remove')) {
      ev.preventDefault();
      this.items = this.items.filter((it) => it !== item);
      if (item.preview) URL.revokeObjectURL(item.preview);
      this.render();
      this._emit();
    } else if (item.state === 'error') {
      this._upload(item);
    }
  }

  render() {
    const strip = this.options.strip;
    for (const el of strip.querySelectorAll('.gl-photo')) el.remove();
    const anchor = strip.querySelector('label, .gl-photo-add');
    for (const item of this.items) {
      const el = document.createElement('div');
      el.className = 'gl-photo';
      el.dataset.photoId = item.id;
      el.dataset.state = item.state;
      const img = document.createElement('img');
      img.alt = '';
      img.src = item.state === 'done' ? item.photo.thumb_url : (item.preview || '');
      img.onerror = () => { img.style.visibility = 'hidden'; }; // e.g. HEIC before upload
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'gl-photo__remove';
      remove.setAttribute('aria-label', t('field.photo.remove'));
      remove.textContent = '×';
      const badge = document.createElement('span');
      badge.className = 'gl-photo__state';
      badge.textContent = item.state === 'uploading' ? t('field.photo.uploading')
        : item.state === 'error' ? t('field.photo.retry') : '';
      el.append(img, badge, remove);
      strip.insertBefore(el, anchor);
    }
    const full = this.items.length >= this.options.max;
    for (const label of strip.querySelectorAll('.gl-photo-add')) label.hidden = full;
  }

  _emit() {
    this.dispatchEvent(new CustomEvent('change', {
      detail: { busy: this.busy, count: this.tokens().length },
    }));
  }
}
