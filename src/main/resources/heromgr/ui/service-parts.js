// The service page's read-only parts, each drawn from one API answer.
import { h, s, duration, time, stateBadge, healthBadge } from './dom.js';

/** service.inspect as a list of what the class resolves to; nested values as indented JSON. */
export function definition(inspect) {
  const skip = new Set(['name', 'runtime', 'last_operations']);
  const rows = Object.entries(inspect).filter(([k, v]) => !skip.has(k) && v != null
    && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && Object.keys(v).length === 0));
  return h('dl', { class: 'facts definition', id: 'svc-definition' }, rows.flatMap(([k, v]) => [
    h('dt', {}, k.replaceAll('_', ' ')),
    h('dd', {}, typeof v === 'object' ? h('pre', {}, JSON.stringify(v, null, 2)) : String(v)),
  ]));
}

/** service.status: each action with its process, then its jobs (one per process it ran) with exit codes. */
export function actionsTable(status) {
  const actions = status.actions || [];
  if (actions.length === 0) return h('p', { class: 'muted' }, 'No actions.');
  return h('div', {}, actions.map(a => h('div', { class: 'action', 'data-action': a.name },
    h('p', {}, h('strong', {}, a.name), ' ', stateBadge(a.state), ' ', healthBadge(a.healthy, a.state),
      h('span', { class: 'muted small' }, ` pid ${a.pid > 0 ? a.pid : '–'} · up `, uptime(a), ` · ${a.restart_count || 0} restarts`),
      a.reason ? h('span', { class: 'bad small' }, ` · ${a.reason}`) : null),
    (a.jobs || []).length ? h('table', { class: 'jobs' },
      h('thead', {}, h('tr', {}, ['Job', 'PID', 'Started', 'Ended', 'Exit'].map(c => h('th', {}, c)))),
      h('tbody', {}, [...a.jobs].reverse().slice(0, 10).map(j => h('tr', {},
        h('td', {}, `#${j.id}`), h('td', {}, String(j.pid)), h('td', {}, time(j.start)), h('td', {}, j.end ? time(j.end) : 'running'),
        h('td', { class: exitClass(j) }, exitText(j)))))) : null)));
}

/** A running action's uptime, kept counting by ticking(): `data-since` is its start on this page's clock. */
function uptime(a) {
  if (a.state !== 'RUNNING' || a.uptime_ms == null) return h('span', {}, duration(null));
  return h('span', { class: 'uptime', 'data-since': String(Date.now() - a.uptime_ms) }, duration(a.uptime_ms));
}

/** Redraws every counting uptime below `box` each second (no event comes while a service just runs); returns the stop. */
export function ticking(box) {
  const tick = setInterval(() => {
    for (const el of box.querySelectorAll('.uptime[data-since]')) el.textContent = duration(Date.now() - Number(el.dataset.since));
  }, 1000);
  return () => clearInterval(tick);
}

function exitText(j) {
  if (!j.end) return '–';
  if (j.signal) return `signal ${j.signal}`;
  return j.exit_code == null ? '?' : `code ${j.exit_code}`;
}

function exitClass(j) {
  return j.end && (j.signal || j.exit_code) ? 'bad' : '';
}

/** Per health check of the service (`kind target`), its probes in GET /metrics: latency sum (s), count, failures. */
export function probeTotals(samples, service) {
  const totals = new Map();
  const field = {
    heromgr_health_probe_duration_seconds_sum: 'sum',
    heromgr_health_probe_duration_seconds_count: 'count',
    heromgr_health_probe_failures_total: 'failed',
  };
  for (const { name, labels, value } of samples) {
    if (!field[name] || labels.service !== service) continue;
    const key = `${labels.kind} ${labels.target}`;
    if (!totals.has(key)) totals.set(key, { sum: 0, count: 0, failed: 0 });
    totals.get(key)[field[name]] = value;
  }
  return totals;
}

/** One small chart per health check: its latency over the points taken while the page is open. */
export function latencyCharts(samples, report) {
  if (!report.checks || report.checks.length === 0) return h('p', { class: 'muted' }, 'This service declares no health checks.');
  return h('div', { class: 'checks' }, report.checks.map(c => {
    const series = samples.get(`${c.kind} ${c.target}`) || [];
    return h('div', { class: 'check-row' },
      h('p', {}, healthBadge(c.ok), ' ', h('code', {}, `${c.kind} ${c.target}`),
        h('span', { class: 'muted small' }, ` ${c.latency_ms != null ? c.latency_ms.toFixed(1) + ' ms' : ''}${c.detail ? ' · ' + c.detail : ''}`)),
      sparkline(series));
  }));
}

function sparkline(series) {
  const W = 260, H = 48;
  if (series.length < 2) return h('p', { class: 'muted small' }, 'waiting for the next probes…');
  const max = Math.max(1, ...series.map(p => p.ms || 0));
  const x = i => (i / (series.length - 1)) * (W - 4) + 2;
  // the top 16 px hold the max's label: the line stays below it
  const y = ms => H - 4 - ((ms || 0) / max) * (H - 20);
  const points = series.map((p, i) => `${x(i).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ');
  return s('svg', { class: 'spark', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `latency, max ${max.toFixed(1)} ms` },
    s('polyline', { points, class: 'line' }),
    series.map((p, i) => p.ok ? null : s('circle', { cx: x(i), cy: y(p.ms), r: 3, class: 'fail' })),
    s('text', { x: W - 2, y: 10, class: 'axis', 'text-anchor': 'end' }, `${max.toFixed(1)} ms`));
}

/** service.ops: each operation with who, when, how long, the outcome and, when it failed, why. */
export function operationsTable(ops) {
  if (ops.length === 0) return h('p', { class: 'muted' }, 'No operations yet.');
  return h('table', { class: 'ops', id: 'svc-ops' },
    h('thead', {}, h('tr', {}, ['When', 'Operation', 'Caller', 'Took', 'Outcome'].map(c => h('th', {}, c)))),
    h('tbody', {}, ops.map(op => h('tr', {},
      h('td', {}, time(op.started_at)), h('td', {}, op.method.replace('service.', '')), h('td', {}, op.caller),
      h('td', {}, `${op.duration_ms} ms`),
      h('td', {}, h('span', { class: `op op-${op.outcome}` }, op.outcome),
        op.error ? h('div', { class: 'small bad' }, op.error) : null,
        op.output_log ? operationOutput(op) : null)))));
}

/** A build's last output lines, folded: the operation log's answer carries them (service.ops output_lines). */
function operationOutput(op) {
  const lines = op.output || [];
  return h('details', { class: 'op-output' },
    h('summary', { class: 'small muted' }, `output (${lines.length} last lines)`),
    h('pre', { class: 'log small' }, lines.join('\n')),
    h('div', { class: 'small muted' }, `full output: ${op.output_log}`));
}
