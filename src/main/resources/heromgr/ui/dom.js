// Small DOM helpers: elements are built, never parsed from strings, so no service name or log line becomes markup.

export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function duration(ms) {
  if (ms == null || ms < 0) return '–';
  const sec = Math.floor(ms / 1000);
  if (sec < 60) return `${sec}s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min}m ${sec % 60}s`;
  const hr = Math.floor(min / 60);
  if (hr < 48) return `${hr}h ${min % 60}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

export function bytes(n) {
  if (n == null || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** The local time of day, 24-hour: h23, as `hour12: false` gives 24:05:03 for five past midnight in en-US. */
export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hourCycle: 'h23' });
}

/**
 * The health word and its class. A service that is not running is not called unhealthy here (the API says false:
 * it serves nothing); the state already says it is down, and red is kept for what needs a look.
 */
export function health(healthy, state = 'RUNNING') {
  if (state !== 'RUNNING' && state !== 'STARTING') return ['–', 'none'];
  if (healthy === true) return ['healthy', 'ok'];
  if (healthy === false) return ['unhealthy', 'bad'];
  return ['not checked', 'none'];
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text);
}

export function stateBadge(state) {
  return badge(state || '–', `state-${(state || 'unknown').toLowerCase()}`);
}

export function healthBadge(healthy, state) {
  const [word, kind] = health(healthy, state);
  return badge(word, `health-${kind}`);
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function errorBox(e) {
  return h('div', { class: 'error', role: 'alert' }, e.code ? `${e.message} (code ${e.code})` : e.message);
}

/** Asks in the page's own <dialog> (not window.confirm, so it looks like the rest); true when confirmed. */
export function confirmed(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}
