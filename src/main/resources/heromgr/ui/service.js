// One service: its definition (as inspect shows it), actions and jobs, health checks with their latency over time,
// the log following live, the operation log, and the buttons, each operation with a progress bar fed by its events.
import { h, section, stateBadge, healthBadge, errorBox, confirmed } from './dom.js';
import { rpc, batch, onEvent, requestId, allowedTo, mayCall, metrics } from './api.js';
import { definition, actionsTable, latencyCharts, operationsTable, probeTotals, ticking } from './service-parts.js';
import { logView } from './log-view.js';

/** The buttons; `confirm` for what stops or replaces something. */
const ACTIONS = [
  { method: 'service.start', label: 'Start' },
  { method: 'service.stop', label: 'Stop', confirm: 'Stop {name}? Its processes are sent their stop signal.' },
  { method: 'service.restart', label: 'Restart', confirm: 'Restart {name}? It is stopped, then started again.' },
  { method: 'service.deploy', label: 'Deploy', confirm: 'Deploy {name}? It is built or downloaded, installed over the current binaries and restarted.' },
  { method: 'service.upgrade', label: 'Upgrade', confirm: 'Upgrade {name} to the latest release? Its binaries are replaced and it is restarted.' },
  { method: 'service.verify', label: 'Verify' },
  { method: 'service.troubleshoot', label: 'Troubleshoot' },
];
const METRICS_EVERY_MS = 5000;

export function service(main, name) {
  const head = h('div', { class: 'toolbar' }, h('h1', {}, name), h('span', { id: 'svc-state' }), h('span', { id: 'svc-health' }));
  const buttons = h('div', { class: 'actions', id: 'svc-actions' }, ACTIONS.map(a =>
    h('button', { type: 'button', 'data-method': a.method, ...allowedTo(a.method), onclick: () => run(a) }, a.label)));
  const progress = h('div', { class: 'progress', id: 'svc-progress', hidden: true }, h('div', { class: 'bar' }), h('span', { class: 'label' }));
  const result = h('div', { id: 'svc-result' });
  const defBox = h('div'), actionsBox = h('div'), healthBox = h('div'), opsBox = h('div');
  const log = logView(name);
  main.append(head, buttons, progress, result,
    h('div', { class: 'grid' }, section('Actions and jobs', actionsBox), section('Health checks', healthBox)),
    section('Log', log.element),
    section('Operations', opsBox),
    section('Definition', defBox));

  const samples = new Map();
  let myOperation = null;
  let report = null;
  let totals = null;

  async function load() {
    const [inspect, status, ops] = await batch([['service.inspect', { name }], ['service.status', { name }], ['service.ops', { name, limit: 20, output_lines: 40 }]]);
    if (inspect instanceof Error) { defBox.replaceChildren(errorBox(inspect)); return; }
    defBox.replaceChildren(definition(inspect));
    if (!(status instanceof Error)) {
      document.getElementById('svc-state')?.replaceChildren(stateBadge(status.state));
      actionsBox.replaceChildren(actionsTable(status));
    }
    if (!(ops instanceof Error)) opsBox.replaceChildren(operationsTable(ops));
  }

  /** The checks and their verdicts, probed now: at open and when the events say something changed. */
  async function probe() {
    try {
      report = await rpc('service.health', { name });
      // no check to pass is not a verdict: 'not checked', as the list's '-'
      document.getElementById('svc-health')?.replaceChildren(healthBadge(report.checks.length ? report.ok : null, report.state));
      healthBox.replaceChildren(latencyCharts(samples, report));
    } catch (e) {
      healthBox.replaceChildren(errorBox(e));
    }
  }

  // The charts read GET /metrics, the numbers Prometheus gets: each point is the mean latency of the probes made
  // since the previous look (the monitor's, every check's interval, and any on demand), red when one of them failed.
  async function sample() {
    try {
      const now = probeTotals(await metrics(), name);
      for (const [key, t] of totals ? now : []) {
        const before = totals.get(key) || { sum: 0, count: 0, failed: 0 };
        const probes = t.count - before.count;
        if (probes <= 0) continue;
        const series = samples.get(key) || [];
        series.push({ at: Date.now(), ms: ((t.sum - before.sum) / probes) * 1000, ok: t.failed === before.failed });
        if (series.length > 60) series.shift();
        samples.set(key, series);
      }
      totals = now;
      if (report) healthBox.replaceChildren(latencyCharts(samples, report));
    } catch (e) {
      healthBox.replaceChildren(errorBox(e));
    }
  }

  async function run(action) {
    if (action.confirm && !(await confirmed(action.confirm.replace('{name}', name)))) return;
    const id = requestId();
    myOperation = { id, method: action.method };
    showProgress(`${action.label}…`, null);
    for (const b of buttons.querySelectorAll('button')) b.disabled = true;
    try {
      const answer = await rpc(action.method, { name }, id);
      result.replaceChildren(action.method === 'service.troubleshoot' ? troubleshooting(answer) : outcome(action, answer));
    } catch (e) {
      result.replaceChildren(errorBox(e));
    } finally {
      myOperation = null;
      progress.hidden = true;
      for (const b of buttons.querySelectorAll('button')) b.disabled = !mayCall(b.dataset.method);
      load();
      probe();
    }
  }

  function showProgress(text, fraction) {
    progress.hidden = false;
    progress.classList.toggle('indeterminate', fraction == null);
    progress.querySelector('.bar').style.width = fraction == null ? '' : `${Math.round(fraction * 100)}%`;
    progress.querySelector('.label').textContent = text;
  }

  function troubleshooting(t) {
    const hints = (t.hints || []).map(hint => {
      const method = (hint.match(/\bservice\.(build|install|start|stop|restart|deploy|verify|upgrade)\b/) || [])[0];
      const act = ACTIONS.find(a => a.method === method) || (method && { method, label: method.replace('service.', '') });
      return h('li', {}, h('span', {}, hint), act ? h('button', { type: 'button', class: 'small', 'data-method': act.method, ...allowedTo(act.method), onclick: () => run(act) }, `Run ${act.label.toLowerCase()}`) : null);
    });
    return h('div', { class: 'card result', id: 'troubleshooting' },
      h('h2', {}, 'Troubleshooting'),
      h('p', {}, 'State ', stateBadge(t.state), t.blocked_by?.length ? ` · blocked by ${t.blocked_by.join(', ')}` : ''),
      hints.length ? h('ul', { class: 'hints' }, hints) : h('p', { class: 'muted' }, 'No hints: nothing looks wrong.'),
      t.last_log_lines?.length ? h('pre', { class: 'log small' }, t.last_log_lines.join('\n')) : null);
  }

  // a burst of events (a restart: state, job, health, state, health) makes one refresh
  let pending;
  const refresh = () => { load(); probe(); };
  const stop = onEvent(e => {
    if (e.service !== name) return;
    const d = e.data || {};
    if (e.type === 'operation' && myOperation && (d.request_id === myOperation.id || d.id === myOperation.opId)) {
      if (d.phase === 'start') myOperation.opId = d.id;
      if (d.phase === 'progress') {
        const what = `${d.asset || d.binary}: ${(d.bytes_done / 1048576).toFixed(1)} MiB`;
        showProgress(d.bytes_total ? `${what} of ${(d.bytes_total / 1048576).toFixed(1)} MiB` : what, d.bytes_total ? d.bytes_done / d.bytes_total : null);
      }
    }
    if (e.type === 'state' || e.type === 'health' || e.type === 'job') { clearTimeout(pending); pending = setTimeout(refresh, 200); }
  });
  load();
  // the first look at the totals before the first probe, so that probe is the first point
  sample().then(probe);
  const timer = setInterval(sample, METRICS_EVERY_MS);
  const stopTicking = ticking(actionsBox);
  return () => { stop(); clearTimeout(pending); clearInterval(timer); stopTicking(); log.stop(); };
}

function outcome(action, answer) {
  const state = answer?.state ? [' · state ', stateBadge(answer.state)] : [];
  const ok = answer?.ok === false ? h('span', { class: 'bad' }, ' · problems: ' + (answer.problems || []).join('; ')) : null;
  return h('p', { class: 'notice', role: 'status' }, `${action.label}: done`, state, ok);
}
