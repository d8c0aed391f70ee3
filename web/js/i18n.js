// Every string a person reads goes through t(). Chinese first, English second.
// Elements carry `data-i18n="key"` (text) and `data-i18n-attr="title:key;placeholder:key"`
// and are re-rendered by applyI18n() whenever the language changes.
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

const TABLES = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'gridlink.lang';
export const LANGS = ['zh-CN', 'en'];
export const DEFAULT_LANG = 'zh-CN';

/** Fires 'change' (detail: {lang}) after setLang(). */
export const i18nEvents = new EventTarget();

function normalise(lang) {
  if (!lang) return null;
  if (TABLES[lang]) return lang;
  const lower = String(lang).toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

function initialLang() {
  const fromUrl = normalise(new URLSearchParams(window.location.search).get('lang'));
  try {
    // A language asked for in the URL is remembered, so it survives the login redirect.
    if (fromUrl) window.localStorage.setItem(STORAGE_KEY, fromUrl);
  } catch {
    // storage may be unavailable (private mode): the URL still decides this page
  }
  if (fromUrl) return fromUrl;
  try {
    return normalise(window.localStorage.getItem(STORAGE_KEY)) || DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

let current = initialLang();

export function getLang() {
  return current;
}

/** Translate `key`, filling `{name}` placeholders from `vars`. Unknown keys show as-is. */
export function t(key, vars) {
  const raw = TABLES[current][key] ?? TABLES[DEFAULT_LANG][key] ?? key;
  if (!vars) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m));
}

/** Translate `key` if the table has it, else return `fallback` (data values such as tags). */
export function tOr(key, fallback) {
  const raw = TABLES[current][key] ?? TABLES[DEFAULT_LANG][key];
  return raw === undefined ? fallback : raw;
}

/** Pick the field for the current language from a zh / en pair of data values. */
export function pick(zhValue, enValue) {
  return current === 'en' && enValue ? enValue : zhValue;
}

/** Re-render every data-i18n element (and attribute) under root. */
export function applyI18n(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

export function setLang(lang) {
  const next = normalise(lang) || DEFAULT_LANG;
  current = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage may be unavailable (private mode); the choice lasts for this page
  }
  applyI18n(document);
  i18nEvents.dispatchEvent(new CustomEvent('change', { detail: { lang: next } }));
}

/** Call fn on every language change; returns the function that stops it. */
export function onLangChange(fn) {
  i18nEvents.addEventListener('change', fn);
  return () => i18nEvents.removeEventListener('change', fn);
}
