// The reporter follows their report (/track.html?t=TOKEN, no sign-in): the status as
// steps, the public timeline, intake and result photos, the result note, their points,
// and a 1–5 star rating once it is resolved. Refreshes every 20 s while visible.
import { getTrack } from '../field/api.js';
import { friendlyError } from '../field/format.js';
import { readMyReports, rememberReport } from '../field/myreports.js';
import { startPublic, showProblem } from '../field/public.js';
import { Rating } from '../field/rating.js';
import { stepsHtml } from '../field/stepper.js';
import { pick, t, tOr, onLangChange } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { toast } from '../controls/toast.js';

const REFRESH_MS = 20000;
const byId = (id) => document.getElementById(id);
const token = new URLSearchParams(window.location.search).get('t') || '';
const ACTORS = { 工作人员: 'field.actor.staff', 居民: 'field.actor.resident', 系统: 'field.actor.system' };
let report = null;
let updatedAt = null;

function gallery(el, photos) {
  el.innerHTML = photos.map((p) => `<a href="${esc(p.url)}" data-full="${esc(p.url)}">`
    + `<img src="${esc(p.thumb_url)}" alt="" loading="lazy"></a>`).join('');
  el.hidden = !photos.length;
}

function renderTimeline(steps) {
  byId('track-timeline').innerHTML = [...steps].reverse().map((s) => {
    const actor = ACTORS[s.actor] ? t(ACTORS[s.actor]) : s.actor;
    const note = s.note ? `<p>${esc(s.note)}</p>` : '';
    return `<li data-action="${esc(s.action)}"><time>${esc(formatTime(s.at))}</time>`
      + `<b>${esc(tOr(`field.action.${s.action}`, s.action))}</b><span class="who">${esc(actor)}</span>${note}</li>`;
  }).join('');
}

function render() {
  const r = report;
  if (!r) return;
  const merged = r.merged_into_id !== null && r.merged_into_id !== undefined;
  const status = r.status;
  const box = byId('track-status');
  box.dataset.status = merged ? 'merged' : status;
  box.dataset.progress = status;
  byId('track-status-label').textContent = t(`field.step.${merged ? 'merged' : status}`);
  byId('track-status-text').textContent = t(`field.track.says.${merged ? 'merged' : status}`);
  byId('track-category').textContent = pick(r.category_name, r.category_name_en) || r.category;
  byId('track-id').textContent = t('field.track.number', { id: r.id });
  byId('track-steps').innerHTML = stepsHtml(status, r.timeline);
  const mergedNote = byId('track-merged');
  mergedNote.hidden = !merged;
  if (merged) mergedNote.textContent = t('field.track.mergedInto', { id: r.merged_into_id, status: t(`field.step.${status}`) });
  const reject = byId('track-reject');
  reject.hidden = status !== 'rejected';
  reject.textContent = t('field.track.rejectReason', { reason: r.reject_reason || t('common.none') });

  const result = (r.photos || []).filter((p) => p.kind === 'result');
  byId('result-card').hidden = !r.resolution_note && !result.length;
  byId('track-result-note').textContent = r.resolution_note || '';
  gallery(byId('track-result-photos'), result);
  byId('track-report-title').textContent = t(merged ? 'field.track.original' : 'field.track.yourReport');
  byId('track-description').textContent = r.description || '';
  gallery(byId('track-intake-photos'), (r.photos || []).filter((p) => p.kind !== 'result'));
  renderTimeline(r.timeline || []);

  byId('rate-card').hidden = !r.can_rate;
  const rated = Number.isInteger(r.satisfaction) && !r.can_rate;
  byId('rated-card').hidden = !rated;
  if (rated) byId('rated-stars').textContent = `${'★'.repeat(r.satisfaction)}${'☆'.repeat(5 - r.satisfaction)}`;
  byId('points-card').hidden = r.points === null || r.points === undefined;
  byId('track-points').textContent = String(r.points ?? 0);
  byId('track-updated').textContent = updatedAt ? t('field.track.updated', { time: formatTime(updatedAt) }) : '';
}

async function load() {
  try {
    report = await getTrack(token);
    updatedAt = new Date().toISOString();
    byId('track-loading').hidden = true;
    byId('track-main').hidden = false;
    byId('track-problem').hidden = true;
    if (!readMyReports().some((m) => m.token === token)) {
      rememberReport({ token, id: report.id, category: report.category, at: report.created_at });
    }
    render();
  } catch (err) {
    if (report && err.status !== 404) {
      toast(t('field.track.offline'), { kind: 'error' }); // keep what we have; the next round retries
      return;
    }
    byId('track-loading').hidden = true;
    byId('track-main').hidden = true;
    const missing = err && err.status === 404;
    showProblem(byId('track-problem'), t(missing ? 'field.track.notFound' : 'common.error'),
      missing ? t('field.track.notFoundHint') : friendlyError(err));
  }
  document.body.dataset.ready = '1';
}

function startLightbox() {
  const box = byId('lightbox');
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-full]');
    if (!a) return;
    ev.preventDefault();
    box.querySelector('img').src = a.dataset.full;
    box.hidden = false;
  });
  box.addEventListener('click', () => { box.hidden = true; });
}

async function main() {
  await startPublic();
  onLangChange(render);
  startLightbox();
  if (!/^[0-9a-f]{8,40}$/.test(token)) {
    byId('track-loading').hidden = true;
    showProblem(byId('track-problem'), t('field.track.badLink'), t('field.track.badLinkHint'));
    document.body.dataset.ready = '1';
    return;
  }
  const rating = new Rating({ token }).mount();
  rating.addEventListener('done', ({ detail }) => {
    toast(t(detail.satisfaction >= 3 ? 'field.rate.thanks' : 'field.rate.reopened'), { kind: 'ok', ms: 6000 });
    load();
  });
  await load();
  let timer = setInterval(load, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    clearInterval(timer);
    if (document.hidden) return;
    load();
    timer = setInterval(load, REFRESH_MS);
  });
}

main().catch((err) => showProblem(byId('track-problem'), t('common.error'), friendlyError(err)));
