// The log tail, following live (GET /logs), with pause (lines keep arriving and wait) and search (only matching
// lines shown, the match marked).
import { h, time } from './dom.js';
import { followLog } from './api.js';

const KEEP = 2000;

export function logView(name) {
  const lines = [];
  const held = [];
  let paused = false;
  const pre = h('pre', { class: 'log', id: 'svc-log', tabindex: 0, 'aria-live': 'polite' });
  const search = h('input', { type: 'search', id: 'log-search', placeholder: 'Search the log', 'aria-label': 'Search the log' });
  const pause = h('button', { type: 'button', id: 'log-pause', 'aria-pressed': 'false' }, 'Pause');
  const count = h('span', { class: 'muted small' });
  const element = h('div', {}, h('div', { class: 'toolbar' }, search, pause, count), pre);

  function line(text, q) {
    if (!q) return h('div', {}, text);
    const at = text.toLowerCase().indexOf(q);
    return h('div', {}, text.slice(0, at), h('mark', {}, text.slice(at, at + q.length)), text.slice(at + q.length));
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = q ? lines.filter(l => l.toLowerCase().includes(q)) : lines;
    pre.replaceChildren(...shown.map(l => line(l, q)));
    count.textContent = paused ? `paused · ${held.length} new lines waiting` : `${lines.length} lines`;
    if (!paused) pre.scrollTop = pre.scrollHeight;
  }

  function append(text) {
    if (paused) { held.push(text); count.textContent = `paused · ${held.length} new lines waiting`; return; }
    lines.push(text);
    if (lines.length > KEEP) lines.shift();
    const q = search.value.trim().toLowerCase();
    if (!q || text.toLowerCase().includes(q)) {
      pre.append(line(text, q));
      if (pre.childElementCount > KEEP) pre.firstChild.remove();
      pre.scrollTop = pre.scrollHeight;
    }
    count.textContent = `${lines.length} lines`;
  }

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) { lines.push(...held.splice(0)); while (lines.length > KEEP) lines.shift(); }
    draw();
  });
  search.addEventListener('input', draw);
  // the page's one clock (24-hour, as the jobs and the operations show it); stderr lines marked
  const stop = followLog(name, null, 200, e => append(`${time(e.time)} ${e.stream === 'stderr' ? '[stderr] ' : ''}${e.line}`));
  return { element, stop };
}
