// The page's only ways to the daemon: the JSON-RPC endpoint (POST /rpc, with the CSRF token), GET /health, GET /access,
// GET /metrics and the server-sent event streams (/events, /logs). The same API the CLI uses; nothing private to the pages.

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

// What this visitor may call, as GET /access says (the OpenRPC document's x-heromgr-access against the visitor's role).
// Until it has answered, or if it cannot, nothing that changes something is offered; the daemon refuses it anyway.
let grant = { caller: '', access: 'read', may_call: [] };

export async function loadAccess() {
  const res = await fetch('/access', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  grant = await res.json();
  return grant;
}

export function mayCall(method) {
  return grant.may_call.includes(method);
}

/** Why a control is disabled, for its title. */
export function refusedWhy(method) {
  return `${method} changes something; ${grant.caller || 'this visitor'} may only read (${grant.access} access)`;
}

/** The attributes of a button that calls `method`: disabled, with a title saying why, when the visitor may not. */
export function allowedTo(method, busy = false) {
  return mayCall(method) ? { disabled: busy } : { disabled: true, title: refusedWhy(method), 'data-refused': 'read-only' };
}

export async function daemonHealth() {
  const res = await fetch('/health', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** GET /metrics, the numbers Prometheus reads, as samples { name, labels, value }. */
export async function metrics() {
  const res = await fetch('/metrics', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return parseMetrics(await res.text());
}

// a sample line of the text format: name{label="value",...} value; label values escape \\, \" and \n
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = line.startsWith('#') ? null : SAMPLE.exec(line);
    if (!m) continue;
    const labels = {};
    for (const [, k, v] of (m[2] || '').matchAll(LABEL)) labels[k] = v.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
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

/**
 * Follows a service's log: onLine for each line (the last `lines` first), as GET /logs?format=json gives it:
 * {time, action, stream, line}, every action's stdout and stderr. Returns a function that stops it.
 */
export function followLog(name, action, lines, onLine) {
  const q = new URLSearchParams({ name, lines: String(lines), format: 'json' });
  if (action) q.set('action', action);
  const log = new EventSource(`/logs?${q}`);
  log.onmessage = m => onLine(JSON.parse(m.data));
  return () => log.close();
}
