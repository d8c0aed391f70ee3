// Start-up of the public pages (report, track): no sign-in, no live feed; strings, the
// language switch and the deployment's name under the title.
import { getMeta } from '../api.js';
import { applyI18n, onLangChange, pick, t } from '../i18n.js';
import { LangSwitch } from '../controls/lang.js';

/** Render static strings, mount the language switch, load /api/meta (null on failure). */
export async function startPublic() {
  applyI18n(document);
  const el = document.getElementById('lang-switch');
  if (el) new LangSwitch(el).mount();
  let meta = null;
  try {
    meta = await getMeta();
  } catch {
    meta = null;
  }
  const out = document.getElementById('deployment');
  const render = () => {
    if (!out || !meta) return;
    const name = pick(meta.name, meta.name_en) || '';
    out.textContent = meta.synthetic ? `${name} · ${t('meta.synthetic')}` : name;
  };
  render();
  onLangChange(render);
  return meta;
}

/** Show a page-level problem (e.g. a tracking link that does not exist). */
export function showProblem(el, title, message) {
  el.hidden = false;
  el.querySelector('h2').textContent = title;
  el.querySelector('p').textContent = message;
}
