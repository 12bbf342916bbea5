// Daemon: what GET /health says of it (version, pid, uptime, memory, threads, where it listens) and the fleet's counts.
import { h, duration, bytes, section, errorBox } from './dom.js';
import { rpc, daemonHealth } from './api.js';

export function daemon(main) {
  const facts = h('dl', { class: 'facts', id: 'daemon-facts' });
  const counts = h('dl', { class: 'facts', id: 'daemon-counts' });
  const problem = h('div');
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Daemon')), problem,
    h('div', { class: 'grid' }, section('heromgr', facts), section('Services', counts)));

  async function load() {
    try {
      const [d, list] = await Promise.all([daemonHealth(), rpc('service.list')]);
      const uptime = d.started_at ? Date.now() - new Date(d.started_at).getTime() : null;
      fill(facts, [['Version', d.version], ['PID', d.pid], ['Uptime', duration(uptime)], ['Home', d.home],
        ['service.sock', d.socket], ['admin.sock', d.admin_socket], ['HTTP listener', d.http || 'not listening'],
        ['Heap used', bytes(d.memory?.heap_used_bytes)], ['Heap committed', bytes(d.memory?.heap_committed_bytes)],
        ['Resident memory', bytes(d.memory?.resident_bytes)], ['Threads', d.threads]]);
      const count = pred => list.filter(pred).length;
      fill(counts, [['Services', list.length], ['Running', count(x => x.state === 'RUNNING')],
        ['Healthy', count(x => x.healthy === true)], ['Unhealthy', count(x => x.state === 'RUNNING' && x.healthy === false)],
        ['Stopped', count(x => x.state === 'STOPPED')], ['Failed or backing off', count(x => x.state === 'FAILED' || x.state === 'BACKOFF')]]);
      problem.replaceChildren();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
  }
  load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}

function fill(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v == null ? '–' : String(v))]));
}
