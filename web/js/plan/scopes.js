// The streets and communities a plan can cover (its scope), from the current map,
// and the communities a new dedicated grid can belong to.
import { getLayer } from '../api.js';
import { pick } from '../i18n.js';

export class Scopes {
  constructor() {
    this.streets = [];
    this.communities = [];
  }

  async load(bbox) {
    const fetchLevel = (level) => getLayer('/api/grids', { bbox, zoom: 12, params: { level } })
      .then((fc) => ((fc && fc.features) || []).map((f) => f.properties));
    const [streets, communities] = await Promise.all([fetchLevel('street'), fetchLevel('community')]);
    const byCode = (a, b) => String(a.code).localeCompare(String(b.code));
    this.streets = streets.sort(byCode);
    this.communities = communities.sort(byCode);
    return this;
  }

  /** A street's or community's name in the current language (`fallback` when unknown). */
  nameOf(id, fallback = '') {
    const p = this.byId(id);
    return p ? pick(p.name, p.name_en) || fallback : fallback;
  }

  byId(id) {
    return [...this.streets, ...this.communities].find((p) => String(p.id) === String(id)) || null;
  }

  /** The communities a grid of the plan with this scope can belong to. */
  communitiesOf(scopeId) {
    const scope = this.byId(scopeId);
    if (scope && scope.level === 'community') return [scope];
    return this.communities.filter((c) => String(c.parent_id) === String(scopeId));
  }

  /** The parents a plan's workload and redistricting can be about: its scope, then a street's communities. */
  parentsOf(scopeId) {
    const scope = this.byId(scopeId);
    if (!scope) return [];
    return scope.level === 'street' ? [scope, ...this.communitiesOf(scopeId)] : [scope];
  }

  /** `<option>`s of parentsOf(scopeId) (communities of a street indented); keeps `selected` if it is one. */
  fillParents(select, scopeId, { selected = null } = {}) {
    const parents = this.parentsOf(scopeId);
    const keep = parents.some((p) => String(p.id) === String(selected)) ? String(selected) : String(scopeId);
    select.textContent = '';
    for (const p of parents) {
      const el = document.createElement('option');
      el.value = String(p.id);
      el.dataset.level = p.level;
      el.textContent = `${String(p.id) === String(scopeId) ? '' : '\u3000'}${label(p)}`;
      el.selected = el.value === keep;
      select.append(el);
    }
    select.value = keep;
    return keep;
  }

  /** `<option>`s (street, then its communities indented), for a scope picker. */
  fillSelect(select, { selected = null } = {}) {
    select.textContent = '';
    const option = (p, indent) => {
      const el = document.createElement('option');
      el.value = String(p.id);
      el.dataset.level = p.level;
      el.textContent = `${indent ? '\u3000' : ''}${label(p)}`;
      if (selected !== null && String(selected) === String(p.id)) el.selected = true;
      select.append(el);
    };
    const placed = new Set();
    for (const street of this.streets) {
      option(street, false);
      for (const c of this.communities.filter((x) => String(x.parent_id) === String(street.id))) {
        option(c, true);
        placed.add(c.id);
      }
    }
    for (const c of this.communities) if (!placed.has(c.id)) option(c, false);
  }
}

export function label(p) {
  return `${pick(p.name, p.name_en) || ''} · ${p.code || p.id}`;
}
