// The router: #/fleet, #/graph, #/service/NAME, #/events, #/daemon. Each page draws into <main> and returns a
// function that stops what it started (timers, streams) when the page is left.
import { fleet } from './fleet.js';
import { graph } from './graph.js';
import { service } from './service.js';
import { events } from './events.js';
import { daemon } from './daemon.js';
import { onEvent, loadAccess } from './api.js';
import { h } from './dom.js';

const pages = { fleet, graph, service, events, daemon };
const main = document.getElementById('main');
let leave = () => {};

function route() {
  const [, page = 'fleet', arg = ''] = location.hash.split('/');
  const draw = pages[page] || fleet;
  leave();
  main.replaceChildren();
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === page || (page === 'service' && a.dataset.page === 'fleet'));
  }
  leave = draw(main, decodeURIComponent(arg)) || (() => {});
}

/** The header names the visitor's role when it may only read: the buttons that would change something are disabled. */
function showRole(grant) {
  if (grant.access === 'operate') return;
  document.getElementById('live').before(h('span', { id: 'role', class: 'role', title: `${grant.caller}: may look, not change` }, 'read only'));
}

window.addEventListener('hashchange', route);
onEvent(() => {});
loadAccess().then(showRole, e => console.warn('GET /access:', e.message)).finally(route);
