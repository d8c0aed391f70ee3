// Sign-in: OAuth2 password form → token in localStorage → the role's page (or ?next=).
import { login, getMeta, errorMessage, ApiError } from '../api.js';
import { setToken, homePathFor, safeNext } from '../auth.js';
import { t, pick, onLangChange, applyI18n } from '../i18n.js';
import { LangSwitch } from '../controls/lang.js';

const byId = (id) => document.getElementById(id);
let lastError = null;

function showError(err) {
  lastError = err;
  const box = byId('login-error');
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  if (err.key) {
    box.textContent = t(err.key);
  } else if (err instanceof ApiError && err.status === 401 && !err.detailZh && !err.detailEn) {
    box.textContent = t('login.badCredentials');
  } else {
    box.textContent = errorMessage(err);
  }
  box.dataset.code = (err && err.code) || '';
}

async function onSubmit(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError({ key: 'login.missing' });
    return;
  }
  const button = byId('login-submit');
  button.disabled = true;
  form.classList.add('is-busy');
  showError(null);
  try {
    const result = await login(username, password);
    setToken(result.access_token);
    const next = safeNext(new URLSearchParams(window.location.search).get('next'));
    window.location.replace(next || homePathFor(result.role));
  } catch (err) {
    showError(err);
    form.password.select();
  } finally {
    button.disabled = false;
    form.classList.remove('is-busy');
  }
}

async function showDeployment() {
  try {
    const meta = await getMeta();
    const render = () => {
      byId('deployment').textContent = pick(meta.name, meta.name_en) || '';
      byId('demo-hint').hidden = !meta.synthetic;
    };
    render();
    onLangChange(render);
  } catch {
    // the form works without it
  }
}

function main() {
  applyI18n(document);
  new LangSwitch(byId('lang-switch')).mount();
  // messages were rendered in the language of the moment: re-render them on a switch
  onLangChange(() => showError(lastError));
  byId('login-form').addEventListener('submit', onSubmit);
  byId('username').focus();
  showDeployment();
}

main();
