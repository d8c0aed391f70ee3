// Workload figures as the planner reads them (GridLoad of GET /api/planning/workload and
// of a redistricting): number formats, a parent's count / mean / spread, a grid's load
// against the mean as a colour band, and the load weights with their defaults.
import { pick } from '../i18n.js';

/** A number for a table cell ('–' when missing), with `digits` decimals. */
export function fmt(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return Number(n).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Count, mean load and spread (population std / mean) of the comprehensive grids. */
export function summarise(grids) {
  const loads = (grids || []).filter((g) => (g.kind || 'comprehensive') === 'comprehensive').map((g) => Number(g.load) || 0);
  const count = loads.length;
  if (!count) return { count: 0, mean: 0, spread: 0 };
  const mean = loads.reduce((a, b) => a + b, 0) / count;
  const variance = loads.reduce((a, b) => a + (b - mean) ** 2, 0) / count;
  return { count, mean, spread: mean > 0 ? Math.sqrt(variance) / mean : 0 };
}

/** Households that need more than routine care (red, orange, yellow). */
export const careWeight = (care) => (care ? (care.red || 0) + (care.orange || 0) + (care.yellow || 0) : 0);

// a grid's load over the mean load of its parent's grids
export const LOAD_BANDS = [
  { key: 'low', below: 0.7, color: '#2563eb' },
  { key: 'under', below: 0.9, color: '#93c5fd' },
  { key: 'even', below: 1.1, color: '#86efac' },
  { key: 'over', below: 1.3, color: '#fdba74' },
  { key: 'high', below: Infinity, color: '#dc2626' },
];

export function loadBand(load, mean) {
  if (!(mean > 0)) return LOAD_BANDS[2];
  const ratio = (Number(load) || 0) / mean;
  return LOAD_BANDS.find((b) => ratio < b.below);
}

/** How even the loads are: the spread (CV) as good / fair / poor. */
export function spreadGrade(spread) {
  if (spread <= 0.2) return 'good';
  if (spread <= 0.35) return 'fair';
  return 'poor';
}

/** A GridLoad's name in the current language (the draft knows the English names). */
export function loadName(g, session) {
  const f = session && session.feature(g.key);
  if (f) return pick(f.properties.name, f.properties.name_en) || g.name;
  return g.name || g.code || `#${g.key}`;
}

// Weights = {care: {red, orange, yellow, blue, green}, resident, report_per_month,
// area_km2, street_km} (docs/api.md); the inputs name them by path.
export const DEFAULT_WEIGHTS = Object.freeze({
  'care.red': 5, 'care.orange': 3, 'care.yellow': 2, 'care.blue': 1.5, 'care.green': 1,
  resident: 0.1, report_per_month: 2, area_km2: 20, street_km: 10,
});

/** The request body's `weights` from {path: value}. */
export function weightsBody(flat) {
  const care = {};
  const out = { care };
  for (const [path, value] of Object.entries(flat)) {
    if (path.startsWith('care.')) care[path.slice(5)] = value;
    else out[path] = value;
  }
  return out;
}
