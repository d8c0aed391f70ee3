// SVG fill patterns for dedicated grids. Leaflet writes `fillColor` into the path's
// fill attribute, so fillColor: 'url(#gl-hatch-school)' fills with a pattern; the
// patterns live in one hidden <svg> in the page (same-document references work).

export const DEDICATED_COLORS = {
  school: '#d97706',
  hospital: '#dc2626',
  market: '#059669',
  business: '#7c3aed',
  industrial: '#475569',
  other: '#0f766e',
};

const SVG_NS = 'http://www.w3.org/2000/svg';
const DEFS_ID = 'gl-hatch-defs';

/** Make sure the hatch patterns exist in `doc`; returns nothing. */
export function ensureHatchPatterns(doc = document) {
  if (doc.getElementById(DEFS_ID)) return;
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('id', DEFS_ID);
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.setAttribute('aria-hidden', 'true');
  svg.style.position = 'absolute';
  const defs = doc.createElementNS(SVG_NS, 'defs');
  for (const [type, color] of Object.entries(DEDICATED_COLORS)) {
    const pattern = doc.createElementNS(SVG_NS, 'pattern');
    pattern.setAttribute('id', `gl-hatch-${type}`);
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '8');
    pattern.setAttribute('height', '8');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    const bg = doc.createElementNS(SVG_NS, 'rect');
    bg.setAttribute('width', '8');
    bg.setAttribute('height', '8');
    bg.setAttribute('fill', color);
    bg.setAttribute('fill-opacity', '0.08');
    const line = doc.createElementNS(SVG_NS, 'rect');
    line.setAttribute('width', '2.5');
    line.setAttribute('height', '8');
    line.setAttribute('fill', color);
    line.setAttribute('fill-opacity', '0.55');
    pattern.append(bg, line);
    defs.append(pattern);
  }
  svg.append(defs);
  doc.body.append(svg);
}

export function hatchFill(type) {
  return `url(#gl-hatch-${DEDICATED_COLORS[type] ? type : 'other'})`;
}

export function dedicatedColor(type) {
  return DEDICATED_COLORS[type] || DEDICATED_COLORS.other;
}
