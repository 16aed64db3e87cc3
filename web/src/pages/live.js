// Live mode (docs/live.md): the stream counters, the horizon the detector
// holds, its significant clusters and the alerts, polled from GET /api/live
// and GET /api/alerts while the page is shown.
import { api, ApiError } from '../api.js';
import { h, clear, ut, fmtTime, fmtNum, table, section, note } from '../dom.js';

const EVERY_MS = 3000; // poll interval
const MAX_BACKOFF_MS = 60000; // longest wait after repeated errors
const MAX_ALERTS = 100; // alerts listed (the server keeps 500)
const MAX_ACCOUNTS = 30; // accounts listed per cluster

let timer = 0;
let generation = 0;

/** stopLive ends the polling of a Live page that is no longer shown. */
export function stopLive() {
  generation++;
  clearTimeout(timer);
}

export async function livePage(app) {
  stopLive();
  const mine = generation;
  const status = h('p', { class: 'muted', id: 'live-status' }, 'Loading…');
  const body = h('div', { id: 'live-body' });
  clear(app);
  app.append(h('h1', null, 'Live'), status, body);
  let delay = EVERY_MS;

  const poll = async () => {
    if (mine !== generation) return;
    if (document.hidden) { timer = setTimeout(poll, EVERY_MS); return; }
    try {
      const [live, { alerts }] = await Promise.all([api.get('/api/live'), api.get('/api/alerts')]);
      if (mine !== generation) return;
      status.className = 'muted';
      if (selecting(body)) {
        status.textContent = 'Updates paused while text on the page is selected.';
      } else {
        render(body, live, alerts || []);
        status.textContent = `Updated ${fmtTime(new Date().toISOString())}; the page refreshes every ${EVERY_MS / 1000} s.`;
      }
      delay = EVERY_MS;
    } catch (e) {
      if (mine !== generation) return;
      if (e instanceof ApiError && e.status === 404) {
        clear(body);
        status.className = 'muted';
        status.textContent = '';
        body.append(h('p', { class: 'card', id: 'live-off' }, 'Live mode is off on this server.'));
        return; // nothing to poll until the server is restarted with it
      }
      if (e instanceof ApiError && e.status === 401) return; // sent to the login page
      delay = Math.min(2 * delay, MAX_BACKOFF_MS);
      status.className = 'error';
      status.textContent = `Update failed: ${e.message}. Retrying in ${Math.round(delay / 1000)} s.`;
    }
    timer = setTimeout(poll, delay);
  };
  await poll();
}

function render(body, live, alerts) {
  const d = live.detector || {};
  const c = live.counters || {};
  const s = live.store || {};
  const lat = live.latency_ms || {};
  const cards = h('div', { class: 'cards' },
    card('live-posts', 'Posts recorded', fmtNum(c.posts_new),
      `${fmtNum(c.posts_decoded)} decoded from ${fmtNum(c.messages)} messages; ${fmtNum(c.posts_duplicate)} duplicates, ${fmtNum(c.posts_stale)} stale, ${fmtNum(c.posts_rebuilt)} rebuilt at start`),
    card('live-errors', 'Decode errors', fmtNum((c.bad_messages || 0) + (c.records_skipped || 0)),
      `${fmtNum(c.bad_messages)} unreadable messages, ${fmtNum(c.records_skipped)} malformed records skipped`),
    card('live-held', 'Held in the horizon', `${fmtNum(d.posts)} posts`,
      `${fmtNum(d.accounts)} accounts${d.from ? `, ${fmtTime(d.from)} – ${fmtTime(d.to)}` : ''}; horizon ${goDuration(live.horizon)}; ${fmtNum(d.dropped)} expired`),
    card('live-clusters', 'Significant clusters', fmtNum((d.clusters || []).length),
      `${fmtNum(c.alerts)} alerts since start; evaluated ${live.last_evaluation && !live.last_evaluation.startsWith('0001') ? fmtTime(live.last_evaluation) : 'not yet'} (every ${goDuration(live.tick)}, ${fmtNum(d.eval_ms)} ms)`),
    card('live-latency', 'Detection latency', lat.n ? `${fmtNum(lat.p50 / 1000, 1)} s` : '–',
      lat.n ? `median of ${fmtNum(lat.n)} alerts; p90 ${fmtNum(lat.p90 / 1000, 1)} s, max ${fmtNum(lat.max / 1000, 1)} s` : 'no alert yet'),
    card('live-store', 'Store', `${fmtNum(s.keys)} keys`,
      `${fmtNum(s.held)} posts kept for a restart; newest ${fmtTime(s.newest)}${s.pruned_before ? `; pruned before ${fmtTime(s.pruned_before)}` : ''}`));
  if (c.webhook_sent || c.webhook_failed || c.webhook_dropped) {
    cards.append(card('live-webhook', 'Webhook', fmtNum(c.webhook_sent), `sent; ${fmtNum(c.webhook_failed)} failed, ${fmtNum(c.webhook_dropped)} dropped`));
  }

  const clusters = (d.clusters || []).slice().sort((a, b) => (b.accounts || []).length - (a.accounts || []).length || a.id - b.id);
  const clusterRows = clusters.map((x) => [
    h('span', null, `cluster ${x.id}`, x.new ? [' ', h('span', { class: 'status new' }, 'new')] : null),
    fmtNum((x.accounts || []).length), (x.layers || []).join(', '), fmtNum(x.edges),
    fmtTime(x.first_co_action), fmtTime(x.last_co_action),
    h('div', { class: 'objs' }, (x.top_objects || []).map((o) => h('div', null, ut(o.length > 100 ? o.slice(0, 100) + '…' : o)))),
    accountList(x.accounts || []),
  ]);

  const layers = (d.layers || []).map((l) => [l.layer, fmtNum(l.actions), fmtNum(l.pairs), fmtNum(l.significant), fmtNum(l.corroborated || 0)]);

  const recent = alerts.slice(-MAX_ALERTS).reverse();
  const alertRows = recent.map((a) => [fmtTime(a.time), a.source, ut(a.event || '–'), fmtNum(a.cluster), fmtNum((a.accounts || []).length), ut(a.message)]);

  const clusterSec = section(`Significant clusters (${clusters.length})`, clusterRows.length
    ? table(['cluster', 'accounts', 'layers', 'edges', 'first co-action', 'last co-action', 'top shared objects', 'members'], clusterRows)
    : note('No significant cluster in the horizon yet.'));
  const layerSec = section('Layers', layers.length ? table(['layer', 'actions', 'account pairs', 'significant pairs', 'corroborated ties'], layers) : note('No layer evaluated yet.'));
  const alertSec = section(`Alerts (${alerts.length}${alerts.length > MAX_ALERTS ? `, the latest ${MAX_ALERTS} shown` : ''})`, alertRows.length
    ? table(['time', 'source', 'event', 'cluster', 'accounts', 'message'], alertRows)
    : note('No alert yet. An alert is raised when a new significant cluster appears (after the event’s T0 when one is set).'));
  clusterSec.id = 'live-cluster-list';
  layerSec.id = 'live-layers';
  alertSec.id = 'live-alerts';
  clear(body).append(cards, clusterSec, layerSec, alertSec,
    note('Posts arrive from NATS JetStream, Kafka or POST /api/live/ingest (docs/live.md). Accounts are live handles, not part of an analysis run, so they are not linked to the account page.'));
}

/** selecting: the user is selecting text in el (a re-render would drop it). */
function selecting(el) {
  const sel = document.getSelection();
  return !!sel && !sel.isCollapsed && el.contains(sel.anchorNode);
}

/** goDuration shortens a Go duration string ("6h0m0s" → "6h"). */
function goDuration(s) {
  return String(s ?? '–').replace(/([hm])0s$/, '$1').replace(/h0m$/, 'h');
}

function card(id, title, value, sub) {
  return h('div', { class: 'icard', id }, h('h3', null, title), h('div', { class: 'ival' }, value), h('div', { class: 'isub' }, sub));
}

function accountList(accounts) {
  const shown = accounts.slice(0, MAX_ACCOUNTS);
  const out = h('div', { class: 'accounts' });
  shown.forEach((a, i) => out.append(i ? ', ' : '', ut(a)));
  if (accounts.length > shown.length) out.append(` … and ${fmtNum(accounts.length - shown.length)} more`);
  return out;
}
