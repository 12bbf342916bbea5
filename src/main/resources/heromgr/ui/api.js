// The page's only ways to the daemon: the JSON-RPC endpoint (POST /rpc, with the CSRF token), GET /health, and the
// server-sent event streams (/events, /logs). The same API the CLI uses; nothing private to the pages.

const csrf = document.querySelector('meta[name="heromgr-csrf"]').content;
const session = Math.random().toString(36).slice(2, 8);
let nextId = 1;

export class RpcError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

/** A fresh JSON-RPC id; an operation's start event carries it back as request_id. */
export function requestId() {
  return `ui-${session}-${nextId++}`;
}

async function post(body) {
  const res = await fetch('/rpc', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Heromgr-Csrf': csrf },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
  return res.json();
}

export async function rpc(method, params = {}, id = requestId()) {
  const answer = await post({ jsonrpc: '2.0', id, method, params });
  if (answer.error) throw new RpcError(answer.error);
  return answer.result;
}

/** Several reads in one JSON-RPC batch; each entry is the result or an RpcError. */
export async function batch(calls) {
  if (calls.length === 0) return [];
  const ids = calls.map(() => requestId());
  const answers = await post(calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: ids[i], method, params })));
  const byId = new Map(answers.map(a => [a.id, a]));
  return ids.map(id => {
    const a = byId.get(id);
    return a.error ? new RpcError(a.error) : a.result;
  });
}

export async function daemonHealth() {
  const res = await fetch('/health', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

// One shared stream of the daemon's events for every page.
const listeners = new Set();
let source;
const TYPES = ['operation', 'health', 'state', 'job', 'lost'];

export function onEvent(fn) {
  listeners.add(fn);
  if (!source) connect();
  return () => listeners.delete(fn);
}

function connect() {
  source = new EventSource('/events');
  const live = document.getElementById('live');
  source.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  source.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live off'; };
  for (const type of TYPES) {
    source.addEventListener(type, m => {
      const event = type === 'lost' ? { type: 'lost', data: JSON.parse(m.data) } : JSON.parse(m.data);
      for (const fn of listeners) fn(event);
    });
  }
}

/** Follows a service's log: onLine for each line (the last `lines` first). Returns a function that stops it. */
// Every action's stdout and stderr, each line with its local time; stderr lines marked.
export function followLog(name, action, lines, onLine) {
  const q = new URLSearchParams({ name, lines: String(lines), format: 'json' });
  if (action) q.set('action', action);
  const log = new EventSource(`/logs?${q}`);
  log.onmessage = m => {
    const e = JSON.parse(m.data);
    onLine(`${new Date(e.time).toLocaleTimeString()} ${e.stream === 'stderr' ? '[stderr] ' : ''}${e.line}`);
  };
  return () => log.close();
}
