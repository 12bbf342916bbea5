// Events: the daemon's event stream as a timeline, newest first, filterable by type and service. It starts with the
// recent operations from the operation log (the stream itself has no past).
import { h, time, errorBox } from './dom.js';
import { rpc, onEvent } from './api.js';

const TYPES = ['operation', 'state', 'health', 'job'];
const KEEP = 1000;

export function events(main) {
  const checks = TYPES.map(t => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: t, checked: true }), t));
  const search = h('input', { type: 'search', id: 'events-search', placeholder: 'Service or text', 'aria-label': 'Filter events' });
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  const problem = h('div');
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Events'), search), h('div', { class: 'filters' }, checks), problem, list);

  const seen = [];
  const allowed = () => new Set(checks.map(c => c.firstChild).filter(c => c.checked).map(c => c.value));

  function shows(e, types, q) {
    return types.has(e.type) && (!q || (e.service || '').includes(q) || summary(e).toLowerCase().includes(q));
  }

  function item(e) {
    return h('li', { class: `ev ev-${e.type}`, 'data-type': e.type },
      h('time', { datetime: e.at }, time(e.at)),
      h('span', { class: `badge type-${e.type}` }, e.type),
      e.service ? h('a', { href: `#/service/${encodeURIComponent(e.service)}` }, e.service) : h('span', {}, 'daemon'),
      h('span', { class: 'what' }, summary(e)));
  }

  function draw() {
    const types = allowed(), q = search.value.trim().toLowerCase();
    list.replaceChildren(...seen.filter(e => shows(e, types, q)).map(item));
  }

  function add(e) {
    if (e.type === 'lost') return;
    seen.unshift(e);
    if (seen.length > KEEP) seen.pop();
    const types = allowed(), q = search.value.trim().toLowerCase();
    if (shows(e, types, q)) list.prepend(item(e));
  }

  const stop = onEvent(add);
  rpc('service.ops', { limit: 50 }).then(ops => {
    for (const op of ops.reverse()) {
      seen.push({ type: 'operation', service: op.service, at: op.started_at,
        data: { method: op.method, phase: 'end', outcome: op.outcome, duration_ms: op.duration_ms, caller: op.caller } });
    }
    seen.sort((a, b) => (b.at || '').localeCompare(a.at || ''));
    draw();
  }, e => problem.replaceChildren(errorBox(e)));
  search.addEventListener('input', draw);
  checks.forEach(c => c.addEventListener('change', draw));
  return stop;
}

function summary(e) {
  const d = e.data || {};
  switch (e.type) {
    case 'operation':
      if (d.phase === 'start') return `${d.method} started by ${d.caller || '?'}`;
      if (d.phase === 'progress') return `${d.method}: ${d.asset || d.binary || ''} ${d.bytes_done}${d.bytes_total ? ' / ' + d.bytes_total : ''} bytes`;
      return `${d.method} ${d.outcome}${d.duration_ms != null ? ` in ${d.duration_ms} ms` : ''}`;
    case 'state': return `${d.action || ''} → ${d.state}${d.pid ? ` (pid ${d.pid})` : ''}`;
    case 'health': return `${d.action ? d.action + ' ' : ''}${d.ok ? 'healthy' : 'unhealthy'}`;
    case 'job': {
      const x = d.exit || {};
      return `${d.action || ''} exited ${x.signal ? 'by signal ' + x.signal : 'with code ' + x.code}${x.requested ? ' (asked to stop)' : ''}`;
    }
    default: return JSON.stringify(d);
  }
}
