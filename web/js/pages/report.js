// The resident's page (no sign-in): report a problem with photos, the place (GPS, a tap
// on the map, the photo's EXIF or ?lon=&lat=), a category and a description; optional
// name and phone for points. ?volunteer=1 (啄木鸟) puts the photo first and reports
// as a volunteer. The submission carries an Idempotency-Key kept until it is confirmed,
// so retries never make two. Success shows the tracking link and adds it to "my reports".
import { L } from 'leaflet';
import { getCategories, postReport } from '../field/api.js';
import { CategorySelect } from '../field/categories.js';
import { friendlyError } from '../field/format.js';
import { MyReports, rememberReport } from '../field/myreports.js';
import { PendingSubmission, isRetryable } from '../field/pending.js';
import { PhotoPicker } from '../field/photos.js';
import { PlacePicker, placeFromUrl } from '../field/place.js';
import { startPublic } from '../field/public.js';
import { basemap } from '../layers/basemap.js';
import { t } from '../i18n.js';
import { toast } from '../controls/toast.js';

const byId = (id) => document.getElementById(id);
const PHONE = /^[0-9+\- ]{5,20}$/;
const volunteer = new URLSearchParams(window.location.search).get('volunteer') === '1';
const pending = new PendingSubmission('gridlink.pending.report');

function setUpVolunteer() {
  if (!volunteer) return;
  document.body.classList.add('is-volunteer');
  byId('page-title').dataset.i18n = 'field.report.titleVolunteer';
  byId('report-photos-hint').dataset.i18n = 'field.report.photosRequired';
  byId('report-intro').dataset.i18n = 'field.report.introVolunteer';
  document.title = t('field.report.pageTitleVolunteer');
  const fieldset = byId('report-form').querySelector('fieldset');
  fieldset.prepend(fieldset.querySelector('[data-step=photos]'), fieldset.querySelector('[data-step=place]'));
}

function createMiniMap(meta, initial) {
  const c = initial ? [initial.lat, initial.lon] : meta ? [meta.center[1], meta.center[0]] : [0, 0];
  const map = L.map('report-map', {
    center: c,
    zoom: initial ? 17 : meta ? 15 : 2,
    minZoom: 11,
    maxZoom: 19,
    zoomControl: false,
    attributionControl: false,
  });
  L.control.zoom({ position: 'bottomright', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  const base = basemap({ maxZoom: 19 });
  if (base) base.addTo(map);
  return map;
}

function showError(message) {
  const el = byId('report-error');
  el.textContent = message;
  el.hidden = !message;
  if (message) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

function showDone(created, mine) {
  const url = new URL(created.tracking_url || `/track.html?t=${created.tracking_token}`, window.location.origin);
  rememberReport({ token: created.tracking_token, id: created.id, category: created.category, at: new Date().toISOString() });
  byId('report-form').hidden = true;
  byId('report-intro').hidden = true;
  byId('report-pending').hidden = true;
  byId('report-done').hidden = false;
  byId('report-done-id').textContent = t('field.report.doneId', { id: created.id });
  const link = byId('track-link');
  link.href = url.pathname + url.search;
  link.textContent = url.href;
  byId('report-open').href = url.pathname + url.search;
  byId('report-duplicates').hidden = !(created.duplicates && created.duplicates.length);
  window.scrollTo({ top: 0 });
  mine.refresh();
}

async function main() {
  setUpVolunteer();
  const meta = await startPublic();
  let list = [];
  try {
    list = await getCategories();
  } catch (err) {
    showError(friendlyError(err));
  }
  const category = new CategorySelect(byId('report-category'), list).mount();
  const mine = new MyReports({ section: byId('my-reports'), list: byId('my-reports-list'), categories: list }).mount();
  const initial = placeFromUrl();
  const map = createMiniMap(meta, initial);
  const place = new PlacePicker({ map, status: byId('report-location'), initial }).mount();
  const photos = new PhotoPicker({ inputs: [byId('report-photo')], strip: byId('report-photos'), auth: false }).mount();
  let exif = null;
  const renderExif = () => {
    const usable = exif && place.gps !== 'fix' && !(place.place && place.place.source === 'exif');
    byId('report-exif').hidden = !usable;
  };
  photos.addEventListener('exif', ({ detail }) => {
    exif = exif || detail;
    renderExif();
  });
  place.addEventListener('change', renderExif);
  byId('report-use-exif').addEventListener('click', () => {
    place.set({ source: 'exif', lat: exif.lat, lon: exif.lon }, { fly: true });
  });
  byId('report-locate').addEventListener('click', () => place.useDevice());
  photos.addEventListener('change', () => showError(''));

  let sending = false;
  const form = byId('report-form');
  const fieldset = form.querySelector('fieldset');
  const render = () => {
    const kept = pending.get();
    byId('report-pending').hidden = !kept || !byId('report-done').hidden;
    fieldset.disabled = Boolean(kept) || sending;
    byId('report-submit').textContent = t(sending ? 'field.form.sending' : 'field.report.submit');
  };

  const body = () => {
    const out = {
      category: category.value,
      description: byId('report-description').value.trim(),
      source: volunteer ? 'volunteer' : 'resident',
      photos: photos.tokens(),
      ...place.body(),
    };
    if (out.lon === undefined && exif) Object.assign(out, { lon: exif.lon, lat: exif.lat, location_source: 'exif' });
    const name = byId('report-name').value.trim();
    const phone = byId('report-phone').value.trim();
    if (name) out.reporter_name = name;
    if (phone) out.reporter_phone = phone;
    return out;
  };
  const check = (b) => {
    if (!b.category) return ['report-category', t('field.form.needCategory')];
    if (b.description.length < 2) return ['report-description', t('field.form.needDescription')];
    if (photos.busy) return [null, t('field.photo.wait')];
    if (volunteer && !b.photos.length) return [null, t('field.report.needPhoto')];
    if (b.lon === undefined) return [null, t('field.place.need')];
    if (b.reporter_phone && !PHONE.test(b.reporter_phone)) return ['report-phone', t('field.report.badPhone')];
    return null;
  };
  const send = async (b) => {
    showError('');
    sending = true;
    render();
    try {
      const created = await pending.send(b, postReport);
      showDone({ ...created, category: b.category }, mine);
    } catch (err) {
      if (!isRetryable(err)) showError(friendlyError(err));
    } finally {
      sending = false;
      render();
    }
    if (pending.get()) byId('report-pending').scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (sending || pending.get()) return;
    const b = body();
    const problem = check(b);
    if (problem) {
      showError(problem[1]);
      if (problem[0]) byId(problem[0]).focus({ preventScroll: true });
      return;
    }
    send(b);
  });
  byId('report-resend').addEventListener('click', () => {
    const kept = pending.get();
    if (kept && !sending) send(kept.body);
  });
  byId('report-discard').addEventListener('click', () => {
    pending.clear();
    showError('');
    render();
  });
  window.addEventListener('online', () => {
    const kept = pending.get();
    if (kept && !sending) send(kept.body);
  });
  byId('report-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(byId('track-link').textContent);
      toast(t('field.report.copied'), { kind: 'ok' });
    } catch {
      window.getSelection().selectAllChildren(byId('track-link'));
      toast(t('field.report.copyManually'));
    }
  });
  byId('report-again').addEventListener('click', () => {
    byId('report-done').hidden = true;
    form.hidden = false;
    byId('report-intro').hidden = false;
    category.reset();
    byId('report-description').value = '';
    photos.clear();
    exif = null;
    renderExif();
    window.scrollTo({ top: 0 });
    map.invalidateSize();
  });
  render();
  document.body.dataset.ready = '1';
}

main().catch((err) => showError(friendlyError(err)));
