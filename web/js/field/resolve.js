// 办结: the resolve form for a claimed task — a result note and at least one result
// photo (uploaded as soon as taken), then POST /api/reports/{id}/resolve.
// Fires 'close' and 'done' {task}.
import { resolveReport } from './api.js';
import { PhotoPicker } from './photos.js';
import { friendlyError } from './format.js';
import { t } from '../i18n.js';
import { toast } from '../controls/toast.js';

const byId = (id) => document.getElementById(id);

export class ResolveForm extends EventTarget {
  /** @param {{form: HTMLFormElement, describe: (task) => string}} options */
  constructor(options) {
    super();
    this.options = options;
    this.task = null;
    this.sending = false;
    this.photos = new PhotoPicker({
      inputs: [byId('resolve-photo'), byId('resolve-photo-album')],
      strip: byId('resolve-photos'),
      kind: 'result',
    });
    this._onSubmit = (ev) => {
      ev.preventDefault();
      this.submit();
    };
    this._onBack = () => this.close();
    this._onPhotos = () => this._error('');
  }

  mount() {
    this.options.form.addEventListener('submit', this._onSubmit);
    byId('resolve-back').addEventListener('click', this._onBack);
    this.photos.addEventListener('change', this._onPhotos);
    this.photos.mount();
    return this;
  }

  open(task) {
    if (!this.task || this.task.id !== task.id) {
      byId('resolve-note').value = '';
      this.photos.clear();
    }
    this.task = task;
    this.render();
    this._error('');
    this.options.form.hidden = false;
    this.options.form.dataset.reportId = String(task.id);
    byId('resolve-note').focus({ preventScroll: true });
  }

  close() {
    this.options.form.hidden = true;
    this.dispatchEvent(new CustomEvent('close'));
  }

  get isOpen() {
    return !this.options.form.hidden;
  }

  render() {
    if (!this.task) return;
    byId('resolve-title').textContent = t('field.resolve.title', { id: this.task.id });
    byId('resolve-what').textContent = this.options.describe(this.task);
    byId('resolve-submit').textContent = t(this.sending ? 'field.resolve.sending' : 'field.resolve.submit');
  }

  async submit() {
    if (this.sending || !this.task) return;
    const note = byId('resolve-note').value.trim();
    const photos = this.photos.tokens();
    if (note.length < 2) return this._error(t('field.resolve.needNote'), 'resolve-note');
    if (this.photos.busy) return this._error(t('field.photo.wait'));
    if (!photos.length) return this._error(t('field.resolve.needPhoto'));
    this._error('');
    this.sending = true;
    byId('resolve-submit').disabled = true;
    this.render();
    const task = this.task;
    try {
      await resolveReport(task.id, { note, photos });
      toast(t('field.resolve.done', { id: task.id }), { kind: 'ok' });
      this.task = null;
      this.photos.clear();
      byId('resolve-note').value = '';
      this.options.form.hidden = true;
      this.dispatchEvent(new CustomEvent('done', { detail: { task } }));
    } catch (err) {
      // 409: the task moved on meanwhile (reassigned, or this resolve already went through)
      this._error(err && err.status === 409 ? t('field.resolve.conflict') : friendlyError(err));
      if (err && err.status === 409) this.dispatchEvent(new CustomEvent('done', { detail: { task } }));
    } finally {
      this.sending = false;
      byId('resolve-submit').disabled = false;
      this.render();
    }
    return undefined;
  }

  _error(message, focusId) {
    const el = byId('resolve-error');
    el.textContent = message;
    el.hidden = !message;
    if (focusId) byId(focusId).focus();
  }
}
