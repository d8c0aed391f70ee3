// Markup of the report detail panel's sections (pure functions of the API's detail).
// Values are escaped here; the panel only inserts the strings.
import { t, tOr } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { age, escalationText, sourceIcon, statusBadge, timeLeft, duration } from './format.js';

const row = (label, value) => (value ? `<dt>${esc(label)}</dt><dd>${value}</dd>` : '');

function place(d) {
  const area = [d.grid_name, d.community_name, d.street_name].filter(Boolean).map(esc).join(' · ');
  return area || esc(t('center.noGrid'));
}

function assignee(d) {
  if (d.assignee_name) return esc(d.assignee_name);
  if (d.department_name) return `${esc(d.department_name)} <span class="gl-muted">${esc(t('center.detail.dept'))}</span>`;
  if (d.pool_grid_id) return esc(t('center.queue.pool'));
  return '';
}

function deadline(d) {
  if (!d.deadline_at || !['dispatched', 'claimed'].includes(d.status)) return ''; // only while it runs
  const left = timeLeft(d.deadline_at);
  const badge = left ? ` <span class="gl-left is-${left.state}">${esc(left.text)}</span>` : '';
  const esc2 = d.escalation_level ? ` <span class="gl-esc">${esc(escalationText(d.escalation_level))}</span>` : '';
  return `${esc(formatTime(d.deadline_at))}${badge}${esc2}`;
}

function reporter(d) {
  const who = [d.reporter_name, d.reporter_phone].filter(Boolean).map(esc).join(' ');
  return who || `<span class="gl-muted">${esc(t('center.detail.anonymous'))}</span>`;
}

function location(d) {
  const how = tOr(`center.locSource.${d.location_source}`, d.location_source || '');
  const acc = Number.isFinite(d.accuracy_m) ? t('center.detail.accuracy', { m: Math.round(d.accuracy_m) }) : '';
  return esc([how, acc].filter(Boolean).join(' · '));
}

/** Status, category and number for the panel's header. */
export function headHtml(d, category) {
  return `${statusBadge(d.status)}<h2 id="rd-title">${esc(category)}</h2>`
    + `<span class="gl-rd__id">#${esc(d.id)}</span>`;
}

export function factsHtml(d) {
  const satisfaction = d.satisfaction ? `${'★'.repeat(d.satisfaction)}${'☆'.repeat(5 - d.satisfaction)}` : '';
  const merged = d.merged_into_id
    ? `<button type="button" class="gl-link" data-open-report="${esc(d.merged_into_id)}">#${esc(d.merged_into_id)}</button>` : '';
  return `<p class="gl-rd__desc">${esc(d.description)}</p><dl class="gl-facts">`
    + row(t('center.detail.address'), d.address ? esc(d.address) : '')
    + row(t('center.detail.grid'), place(d))
    + row(t('center.detail.location'), location(d))
    + row(t('report.source'), `${sourceIcon(d.source)} ${esc(tOr(`source.${d.source}`, d.source || ''))}`)
    + row(t('center.detail.reporter'), reporter(d))
    + row(t('report.created'), `${esc(formatTime(d.created_at))} <span class="gl-muted">${esc(age(d.created_at))}</span>`)
    + row(t('center.detail.deadline'), deadline(d))
    + row(t('center.detail.assignee'), assignee(d))
    + row(t('center.detail.rejectReason'), d.reject_reason ? esc(d.reject_reason) : '')
    + row(t('center.detail.mergedInto'), merged)
    + row(t('center.detail.resolvedAt'), d.resolved_at ? esc(formatTime(d.resolved_at)) : '')
    + row(t('center.detail.resolution'), d.resolution_note ? esc(d.resolution_note) : '')
    + row(t('center.detail.satisfaction'), satisfaction ? `<span class="gl-stars">${satisfaction}</span>` : '')
    + '</dl>';
}

export function photosHtml(photos) {
  if (!photos || !photos.length) return '';
  const groups = [['intake', t('center.detail.photosIntake')], ['result', t('center.detail.photosResult')]];
  return groups.map(([kind, title]) => {
    const list = photos.map((p, i) => [p, i]).filter(([p]) => p.kind === kind);
    if (!list.length) return '';
    const thumbs = list.map(([p, i]) => `<button type="button" class="gl-thumb" data-photo="${i}" `
      + `aria-label="${esc(title)} ${i + 1}"><img src="${esc(p.thumb_url)}" alt="" loading="lazy"></button>`).join('');
    return `<section class="gl-rd__sec"><h3>${esc(title)}</h3><div class="gl-thumbs">${thumbs}</div></section>`;
  }).join('');
}

/** Duplicate hints; `lookup(id)` gives what the queue knows of the other report. */
export function duplicatesHtml(d, lookup, canMerge) {
  if (!canMerge || !d.duplicates || !d.duplicates.length) return ''; // a hint for the review only
  const items = d.duplicates.map((id) => {
    const other = lookup(id);
    const text = other ? `<span class="gl-dup__desc">${esc(other.description)}</span>` : '';
    const merge = canMerge ? `<button type="button" class="gl-btn gl-btn--sm" data-merge-into="${esc(id)}">`
      + `${esc(t('center.detail.mergeInto', { id }))}</button>` : '';
    return `<li class="gl-dup"><button type="button" class="gl-link" data-open-report="${esc(id)}">#${esc(id)}</button>`
      + `${text}${merge}</li>`;
  }).join('');
  return `<section class="gl-rd__sec gl-rd__dups"><h3>${esc(t('center.detail.duplicates'))}</h3>`
    + `<p class="gl-muted">${esc(t('center.detail.duplicatesHint'))}</p><ul>${items}</ul></section>`;
}

// labels the server writes for who took a step when it was not a signed-in person
const ACTORS = {
  系统: () => t('center.actor.system'),
  居民: () => t('center.actor.resident'),
  工作人员: () => t('center.actor.staff'),
};
const actorLabel = (actor) => (ACTORS[actor] ? ACTORS[actor]() : actor);

const DEFAULT_NOTES = {
  merge: (s) => `与事件 #${s.data.into_id} 合并处理`,
  reopen: () => '回访不满意，重新办理',
};

/** What a step's data says, in the current language. */
function stepData(s) {
  const d = s.data || {};
  const out = [];
  if (d.worker) out.push(t('center.step.toWorker', { name: d.worker.name }));
  if (d.department) out.push(t('center.step.toDept', { name: d.department.name }));
  if (s.action === 'dispatch' && d.pool) out.push(t('center.step.toPool'));
  if (d.deadline_at) out.push(t('center.step.deadline', { time: formatTime(d.deadline_at) }));
  if (d.from_pool) out.push(t('center.step.fromPool'));
  if (d.into_id) out.push(t('center.step.into', { id: d.into_id }));
  if (d.merged_id) out.push(t('center.step.mergedHere', { id: d.merged_id }));
  if (d.points) out.push(t('center.step.points', { points: d.points }));
  if (d.satisfaction) out.push(t('center.step.satisfaction', { n: d.satisfaction }));
  if (d.channel) out.push(tOr(`center.channel.${d.channel}`, d.channel));
  if (d.photos) out.push(t('center.step.photos', { n: d.photos }));
  if (d.hours_left !== undefined) out.push(t('center.step.hoursLeft', { time: duration(d.hours_left * 3600000) }));
  if (d.level) out.push(escalationText(d.level));
  return out;
}

function notified(s) {
  const people = (s.data && s.data.notified) || [];
  if (!people.length) return '';
  const names = people.map((p) => t('center.step.person', { name: p.name, role: tOr(`role.${p.role}`, p.role || '') }));
  return `<p class="gl-step__notified">${esc(t('center.step.notified'))}${esc(names.join(t('center.listSep')))}</p>`;
}

function showNote(s) {
  if (!s.note || s.action === 'warn' || s.action === 'escalate') return false;
  if (s.action === 'note' && s.data && (s.data.points || s.data.merged_id)) return false;
  const generated = DEFAULT_NOTES[s.action];
  return !(generated && generated(s) === s.note);
}

export function timelineHtml(steps) {
  if (!steps || !steps.length) {
    return `<section class="gl-rd__sec"><h3>${esc(t('center.detail.timeline'))}</h3>`
      + `<p class="gl-muted">${esc(t('center.detail.noSteps'))}</p></section>`;
  }
  const items = steps.map((s) => {
    const move = s.from_status && s.from_status !== s.to_status
      ? `<span class="gl-step__move">${esc(tOr(`status.${s.from_status}`, s.from_status))} → ${esc(tOr(`status.${s.to_status}`, s.to_status))}</span>` : '';
    const data = stepData(s);
    return `<li class="gl-step gl-step--${esc(s.action)}" data-action="${esc(s.action)}">`
      + `<div class="gl-step__head"><b>${esc(tOr(`center.step.${s.action}`, s.action))}</b>`
      + `<span class="gl-step__who">${esc(actorLabel(s.actor))}</span><time datetime="${esc(s.at)}">${esc(formatTime(s.at))}</time></div>`
      + move
      + (data.length ? `<p class="gl-step__data">${esc(data.join(' · '))}</p>` : '')
      + (showNote(s) ? `<p class="gl-step__note">${esc(s.note)}</p>` : '')
      + notified(s)
      + '</li>';
  }).join('');
  return `<section class="gl-rd__sec"><h3>${esc(t('center.detail.timeline'))}</h3><ol class="gl-timeline">${items}</ol></section>`;
}
