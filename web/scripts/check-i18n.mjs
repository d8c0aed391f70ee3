// Check the i18n tables: both languages have the same keys, and every key named
// literally in the pages and modules (t('…'), data-i18n, data-i18n-attr, labelKey,
// titleKey) exists. Run: node web/scripts/check-i18n.mjs  (exit 1 on a problem)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const { default: zh } = await import(join(web, 'js/locales/zh-CN.js'));
const { default: en } = await import(join(web, 'js/locales/en.js'));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'vendor') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(js|html)$/.test(name)) out.push(path);
  }
  return out;
}

const used = new Set();
const patterns = [
  /\bt\(\s*'([a-zA-Z][\w.]*)'/g,
  /\btOr\(\s*'([a-zA-Z][\w.]*)'/g,
  /data-i18n="([^"]+)"/g,
  /dataset\.i18n = '([^']+)'/g,
  /(?:labelKey|titleKey|reasonKey): '([^']+)'/g,
  /setDisabled\([^)]*'([a-z]+\.[\w.]+)'\)/g,
];
for (const file of walk(web)) {
  if (file.includes('/locales/') || file.endsWith('check-i18n.mjs')) continue;
  const text = readFileSync(file, 'utf8');
  for (const re of patterns) for (const m of text.matchAll(re)) used.add(m[1]);
  for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) {
    for (const pair of m[1].split(';')) used.add(pair.split(':')[1].trim());
  }
}
used.delete('key');

// keys built at run time from a data value: every value of the contract must be there
const families = {
  level: ['street', 'community', 'grid', 'micro'],
  dedicated: ['school', 'hospital', 'market', 'business', 'industrial', 'other'],
  role: ['admin', 'operator', 'planner', 'grid_head', 'patroller', 'dept_staff',
    'grid_worker', 'police', 'first_secretary', 'volunteer'],
  status: ['submitted', 'accepted', 'rejected', 'merged', 'dispatched', 'claimed',
    'resolved', 'verified', 'archived'],
  care: ['red', 'orange', 'yellow', 'blue', 'green'],
  conn: ['connected', 'reconnecting', 'offline',
    'connected.hint', 'reconnecting.hint', 'offline.hint'],
  layers: ['street', 'community', 'grid', 'dedicated', 'stations', 'households',
    'reportsOpen', 'reportsProgress', 'reportsClosed', 'workers', 'basemap', 'coverage'],
  'patrol.gps': ['waiting', 'denied', 'error'],
  'alerts.kind': ['outside_grid', 'offline', 'sos'],
  'alerts.status': ['open', 'acknowledged', 'closed'],
  'sos.state': ['sending', 'queued', 'sent', 'acknowledged', 'closed', 'error'],
  'coverage.shift': ['all', 'day', 'night'],
  'coverage.band': ['none', 'low', 'mid', 'high', 'nostreets'],
  'plan.action': ['keep', 'change', 'new', 'retire'],
  'plan.status': ['draft', 'published', 'discarded'],
  'plan.severity': ['error', 'warning', 'fixed'],
  'plan.load.grade': ['good', 'fair', 'poor'],
  'plan.loadBand': ['low', 'under', 'even', 'over', 'high'],
  'plan.preview': ['households', 'stations', 'open_reports', 'workers'],
  'plan.publish': ['grids_changed', 'grids_new', 'grids_retired', 'households_moved',
    'stations_moved', 'open_reports_moved'],
};
for (const [prefix, values] of Object.entries(families)) {
  for (const v of values) used.add(`${prefix}.${v}`);
}

const problems = [];
for (const k of Object.keys(zh)) if (!(k in en)) problems.push(`missing in en: ${k}`);
for (const k of Object.keys(en)) if (!(k in zh)) problems.push(`missing in zh-CN: ${k}`);
for (const k of used) if (!(k in zh)) problems.push(`used but not defined: ${k}`);
for (const k of Object.keys(zh)) {
  const a = (zh[k].match(/\{\w+\}/g) || []).sort().join();
  const b = ((en[k] || '').match(/\{\w+\}/g) || []).sort().join();
  if (k in en && a !== b) problems.push(`placeholders differ: ${k}`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n ok: ${Object.keys(zh).length} keys, ${used.size} used literally`);
