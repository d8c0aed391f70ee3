// The reporter's progress as steps: 已提交 → 已受理 → 已派单 → 处置中 → 已办结 → 已回访
// → 已归档; a rejected report ends after the first step with 已驳回. Each reached step
// shows when it was last reached (from the public timeline).
import { t } from '../i18n.js';
import { esc } from '../util.js';

export const STEPS = ['submitted', 'accepted', 'dispatched', 'claimed', 'resolved', 'verified', 'archived'];

/** When each status was last reached, from the timeline. */
function reachedAt(timeline) {
  const at = new Map();
  for (const step of timeline || []) if (step.to_status) at.set(step.to_status, step.at);
  return at;
}

function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getMonth() + 1}/${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Steps as <li> markup for `status` (the report's, or the original's when merged).
 * Classes: is-done, is-current, is-bad (rejected).
 */
export function stepsHtml(status, timeline) {
  const at = reachedAt(timeline);
  const steps = status === 'rejected' ? ['submitted', 'rejected'] : STEPS;
  const current = steps.indexOf(status);
  return steps.map((s, i) => {
    const cls = [i < current ? 'is-done' : '', i === current ? 'is-current' : '', s === 'rejected' ? 'is-bad' : '']
      .filter(Boolean).join(' ');
    const when = i <= current ? shortTime(at.get(s) || (s === 'submitted' && timeline && timeline[0] ? timeline[0].at : null)) : '';
    return `<li class="${cls}" data-step="${s}"><i aria-hidden="true"></i>`
      + `<span class="label">${esc(t(`field.step.${s}`))}</span><span class="when">${esc(when)}</span></li>`;
  }).join('');
}
