// The dependency graph: services in columns by depth (a service stands right of everything it depends on),
// arrows from a dependency to its dependents, coloured by state; a click opens the service.
import { h, s, errorBox, health } from './dom.js';
import { rpc, onEvent } from './api.js';

const MIN_W = 170, H = 44, GAP_X = 70, GAP_Y = 22, PAD = 16, TEXT_X = 26;

export function graph(main) {
  const holder = h('div', { class: 'graph-holder' });
  const problem = h('div');
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Dependency graph')),
    h('p', { class: 'muted' }, 'Arrows run from a dependency to the service that needs it. Click a service to open it.'),
    legend(), problem, holder);

  async function load() {
    try {
      holder.replaceChildren(draw(await rpc('service.list')));
      problem.replaceChildren();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
  }
  let pending;
  const stop = onEvent(e => { if (e.type !== 'job') { clearTimeout(pending); pending = setTimeout(load, 200); } });
  load();
  return () => { stop(); clearTimeout(pending); };
}

function legend() {
  return h('p', { class: 'legend' }, ['running', 'stopped', 'failed', 'starting'].map(k =>
    h('span', { class: `key node-${k}` }, k)));
}

/** Depth of each service: 0 without dependencies, else one more than its deepest dependency (cycles cut). */
function depths(list) {
  const byName = new Map(list.map(x => [x.name, x]));
  const depth = new Map();
  const visiting = new Set();
  const of = name => {
    if (depth.has(name)) return depth.get(name);
    if (visiting.has(name) || !byName.has(name)) return 0;
    visiting.add(name);
    const d = Math.max(-1, ...(byName.get(name).depends_on || []).map(of)) + 1;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  list.forEach(x => of(x.name));
  return depth;
}

/** A box as wide as the longest name needs, measured in the font the stylesheet gives `.name` (600, 13px). */
function nodeWidth(list) {
  const context = document.createElement('canvas').getContext('2d');
  context.font = `600 13px ${getComputedStyle(document.body).fontFamily}`;
  const widest = Math.max(0, ...list.map(x => context.measureText(x.name).width));
  return Math.max(MIN_W, Math.ceil(widest) + TEXT_X + 12);
}

function draw(list) {
  const W = nodeWidth(list);
  const depth = depths(list);
  const columns = [];
  for (const x of [...list].sort((a, b) => a.name.localeCompare(b.name))) (columns[depth.get(x.name)] ||= []).push(x);
  const at = new Map();
  columns.forEach((col, c) => col.forEach((x, r) => at.set(x.name, { x: PAD + c * (W + GAP_X), y: PAD + r * (H + GAP_Y) })));
  const width = PAD * 2 + columns.length * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(1, ...columns.map(c => c.length)) * (H + GAP_Y) - GAP_Y;
  const edges = [];
  for (const x of list) {
    for (const dep of x.depends_on || []) {
      const from = at.get(dep), to = at.get(x.name);
      if (!from || !to) continue;
      const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2, mid = (x1 + x2) / 2;
      edges.push(s('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 6},${y2}`, 'marker-end': 'url(#arrow)' }));
    }
  }
  const nodes = list.map(x => {
    const p = at.get(x.name);
    const kind = (x.state || 'unknown').toLowerCase();
    const open = () => { location.hash = `#/service/${encodeURIComponent(x.name)}`; };
    return s('g', {
      class: `node node-${kind}`, transform: `translate(${p.x},${p.y})`, tabindex: 0, role: 'link',
      'data-service': x.name, 'data-state': x.state, 'aria-label': `${x.name}: ${kind}`,
      onclick: open, onkeydown: e => { if (e.key === 'Enter') open(); },
    },
      s('rect', { width: W, height: H, rx: 8 }),
      s('circle', { class: `dot health-${health(x.healthy, x.state)[1]}`, cx: 14, cy: H / 2, r: 5 }),
      s('text', { x: TEXT_X, y: 18, class: 'name' }, x.name),
      s('text', { x: TEXT_X, y: 34, class: 'sub' }, `${kind}${x.version ? ' · ' + x.version : ''}`));
  });
  return s('svg', { id: 'graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'dependency graph' },
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 4, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
    edges, nodes);
}
