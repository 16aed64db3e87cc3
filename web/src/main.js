// chorus dashboard: a single page routed on the URL fragment.
import './style.css';
import { api, setCSRF, setUnauthenticatedHandler, ApiError } from './api.js';
import { h, clear, link } from './dom.js';
import { loginPage } from './pages/login.js';
import { eventsPage } from './pages/events.js';
import { eventPage, runPage } from './pages/event.js';
import { clusterPage } from './pages/cluster.js';
import { accountPage } from './pages/account.js';
import { uploadPage } from './pages/upload.js';
import { livePage, stopLive } from './pages/live.js';

const app = document.getElementById('app');
export const session = { user: '', role: '' };

const routes = [
  [/^#\/login$/, () => loginPage(app, onLogin)],
  [/^#\/events$/, () => eventsPage(app, session)],
  [/^#\/events\/([^/]+)$/, (m) => eventPage(app, decodeURIComponent(m[1]), session)],
  [/^#\/runs\/(\d+)$/, (m) => runPage(app, m[1], session)],
  [/^#\/runs\/(\d+)\/clusters\/(\d+)$/, (m) => clusterPage(app, m[1], m[2])],
  [/^#\/runs\/(\d+)\/accounts\/(.+)$/, (m) => accountPage(app, m[1], decodeURIComponent(m[2]))],
  [/^#\/upload(?:\?event=(.*))?$/, (m) => uploadPage(app, session, m[1] ? decodeURIComponent(m[1]) : "")],
  [/^#\/live$/, () => livePage(app)],
];

function nav() {
  const n = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  if (!session.user) return;
  n.append(link('#/events', 'Events'), link('#/upload', 'Upload & analyse'), link('#/live', 'Live'));
  who.append(`${session.user} (${session.role}) `,
    h('button', { class: 'link', type: 'button', onclick: logout }, 'Log out'));
}

async function logout() {
  try { await api.post('/api/logout'); } catch { /* already out */ }
  session.user = session.role = '';
  setCSRF('');
  location.hash = '#/login';
}

function onLogin(s) {
  session.user = s.user;
  session.role = s.role;
  setCSRF(s.csrf_token);
  nav();
  const back = sessionStorage.getItem('chorus.back');
  sessionStorage.removeItem('chorus.back');
  location.hash = back && back !== '#/login' ? back : '#/events';
}

async function route() {
  stopLive();
  const hash = location.hash || '#/events';
  if (!session.user && hash !== '#/login') {
    try {
      const s = await api.get('/api/session', { noRedirect: true });
      session.user = s.user; session.role = s.role; setCSRF(s.csrf_token);
      nav();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        sessionStorage.setItem('chorus.back', hash);
        location.hash = '#/login';
        return;
      }
      throw e;
    }
  }
  for (const [re, fn] of routes) {
    const m = hash.match(re);
    if (m) {
      clear(app);
      app.append(h('p', { class: 'muted' }, 'Loading…'));
      try {
        await fn(m);
      } catch (e) {
        clear(app);
        app.append(h('div', { class: 'error', role: 'alert' }, e instanceof ApiError ? `${e.message} (${e.code})` : String(e)));
      }
      window.scrollTo(0, 0);
      return;
    }
  }
  location.hash = '#/events';
}

setUnauthenticatedHandler(() => {
  session.user = '';
  nav();
  if (location.hash !== '#/login') {
    sessionStorage.setItem('chorus.back', location.hash);
    location.hash = '#/login';
  }
});
window.addEventListener('hashchange', route);
route();
