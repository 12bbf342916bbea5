// Fleet: every service with state, health, version, uptime, restarts and last operation, kept current from the
// event stream. "/" focuses the search, arrow keys move between rows, Enter opens one.
import { h, duration, time, stateBadge, healthBadge, errorBox, confirmed } from './dom.js';
import { rpc, batch, onEvent, allowedTo } from './api.js';

export function fleet(main) {
  const search = h('input', { type: 'search', id: 'fleet-search', placeholder: 'Filter services  ( / )', 'aria-label': 'Filter services' });
  const stateFilter = h('select', { id: 'fleet-state', 'aria-label': 'Only this state' },
    h('option', { value: '' }, 'every state'),
    ['RUNNING', 'STOPPED', 'STARTING', 'FAILED', 'BACKOFF'].map(s => h('option', { value: s }, s.toLowerCase())));
  const body = h('tbody');
  const summary = h('p', { class: 'muted', id: 'fleet-summary' });
  const problem = h('div');
  main.append(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Fleet'), search, stateFilter),
    summary, problem,
    h('table', { class: 'fleet', id: 'fleet' },
      h('thead', {}, h('tr', {}, ['Service', 'State', 'Health', 'Version', 'Uptime', 'Restarts', 'Last operation', ''].map(c => h('th', { scope: 'col' }, c)))),
      body));

  let rows = [];
  const busy = new Set();
  let loadedAt = Date.now();

  async function load() {
    try {
      const list = await rpc('service.list');
      const [ops, ...statuses] = await batch([['service.ops', { limit: 500 }], ...list.map(s => ['service.status', { name: s.name }])]);
      const lastOp = new Map();
      for (const op of Array.isArray(ops) ? ops : []) if (op.service && !lastOp.has(op.service)) lastOp.set(op.service, op);
      rows = list.map((s, i) => ({ ...s, status: statuses[i] instanceof Error ? null : statuses[i], op: lastOp.get(s.name) }));
      loadedAt = Date.now();
      problem.replaceChildren();
      draw();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
  }

  function uptime(row) {
    const actions = row.status?.actions || [];
    const up = actions.filter(a => a.state === 'RUNNING').map(a => a.uptime_ms);
    return up.length ? Math.max(...up) + (Date.now() - loadedAt) : null;
  }

  function matches(row) {
    const q = search.value.trim().toLowerCase();
    const healthWord = row.healthy === true ? 'healthy' : row.healthy === false ? 'unhealthy' : 'unknown';
    return (!stateFilter.value || row.state === stateFilter.value)
      && (!q || [row.name, row.state, healthWord, row.type, row.version].some(v => v && v.toLowerCase().includes(q)));
  }

  function draw() {
    const focused = document.activeElement?.dataset?.service;
    const shown = rows.filter(matches);
    body.replaceChildren(...shown.map(row => {
      const restarts = (row.status?.actions || []).reduce((n, a) => n + (a.restart_count || 0), 0);
      const op = row.op;
      return h('tr', {
        tabindex: 0, 'data-service': row.name, 'data-state': row.state, 'data-healthy': String(row.healthy),
        onclick: () => open(row.name), onkeydown: e => key(e, row.name),
      },
        h('td', { 'data-label': 'Service' }, h('a', { href: `#/service/${encodeURIComponent(row.name)}`, tabindex: -1 }, row.name),
          row.type ? h('span', { class: 'muted small' }, ` ${row.type}`) : null),
        h('td', { 'data-label': 'State', class: 'cell-state' }, stateBadge(row.state)),
        h('td', { 'data-label': 'Health', class: 'cell-health' }, healthBadge(row.healthy, row.state)),
        h('td', { 'data-label': 'Version' }, row.version || '–'),
        h('td', { 'data-label': 'Uptime', class: 'uptime' }, duration(uptime(row))),
        h('td', { 'data-label': 'Restarts' }, String(restarts)),
        h('td', { 'data-label': 'Last operation' }, op
          ? h('span', { class: `op op-${op.outcome}` }, `${op.method.replace('service.', '')} ${op.outcome}`, h('span', { class: 'muted small' }, ` ${time(op.started_at)}`))
          : '–'),
        h('td', { class: 'cell-action' }, quickAction(row)));
    }));
    const running = rows.filter(r => r.state === 'RUNNING').length;
    const unhealthy = rows.filter(r => r.state === 'RUNNING' && r.healthy === false).length;
    summary.textContent = `${rows.length} services · ${running} running · ${unhealthy} unhealthy` + (shown.length < rows.length ? ` · ${shown.length} shown` : '');
    if (focused) body.querySelector(`tr[data-service="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Start or stop from the list; a stop asks first. The row changes when the events say so, not before. */
  function quickAction(row) {
    const running = row.state === 'RUNNING' || row.state === 'STARTING' || row.state === 'BACKOFF';
    const label = running ? 'Stop' : 'Start';
    const method = running ? 'service.stop' : 'service.start';
    return h('button', {
      type: 'button', class: 'small', 'data-method': method, ...allowedTo(method, busy.has(row.name)),
      'aria-label': `${label} ${row.name}`,
      onkeydown: e => e.stopPropagation(),
      onclick: async e => {
        e.stopPropagation();
        if (running && !(await confirmed(`Stop ${row.name}? Its processes are sent their stop signal.`))) return;
        busy.add(row.name);
        draw();
        try {
          await rpc(method, { name: row.name });
          problem.replaceChildren();
        } catch (err) {
          problem.replaceChildren(errorBox(err));
        } finally {
          busy.delete(row.name);
          load();
        }
      },
    }, busy.has(row.name) ? `${label}…` : label);
  }

  function open(name) {
    location.hash = `#/service/${encodeURIComponent(name)}`;
  }

  function key(e, name) {
    const row = e.currentTarget;
    if (e.key === 'Enter') open(name);
    else if (e.key === 'ArrowDown' || e.key === 'j') { row.nextElementSibling?.focus(); e.preventDefault(); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { row.previousElementSibling?.focus(); e.preventDefault(); }
  }

  function slash(e) {
    if (e.key === '/' && document.activeElement !== search) { search.focus(); e.preventDefault(); }
  }

  // a burst of events (a start: operation, state, health) makes one reload
  let pending;
  const stop = onEvent(() => { clearTimeout(pending); pending = setTimeout(load, 150); });
  const tick = setInterval(redrawUptimes, 1000);
  function redrawUptimes() {
    for (const tr of body.querySelectorAll('tr')) {
      const row = rows.find(r => r.name === tr.dataset.service);
      if (row) tr.querySelector('.uptime').textContent = duration(uptime(row));
    }
  }
  search.addEventListener('input', draw);
  stateFilter.addEventListener('change', draw);
  document.addEventListener('keydown', slash);
  load();
  return () => { stop(); clearTimeout(pending); clearInterval(tick); document.removeEventListener('keydown', slash); };
}
