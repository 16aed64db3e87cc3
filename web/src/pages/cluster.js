import { api, enc } from '../api.js';
import { h, clear, link, ut, post, shortId, fmtTime, fmtNum, table, section, note } from '../dom.js';
import { networkView } from '../network.js';

export async function clusterPage(app, run, cid) {
  const [{ cluster, members }, graph] = await Promise.all([
    api.get(`/api/runs/${run}/clusters/${cid}`), api.get(`/api/runs/${run}/clusters/${cid}/graph`)]);
  clear(app);
  app.append(h('h1', null, link(`#/runs/${run}`, `run ${run}`), ` · cluster ${cid}`));
  app.append(h('dl', { class: 'facts' },
    h('dt', null, 'accounts'), h('dd', null, fmtNum(cluster.size)),
    h('dt', null, 'layers'), h('dd', null, Object.entries(cluster.layer_edges || {}).map(([k, v]) => `${k} (${v})`).join(', ')),
    h('dt', null, 'density'), h('dd', null, fmtNum(cluster.density)),
    h('dt', null, 'co-actions'), h('dd', null, `${fmtTime(cluster.first_coaction)} – ${fmtTime(cluster.last_coaction)}, median gap ${fmtNum(cluster.median_dt_s)} s`)));

  app.append(section(`Network (${graph.nodes.length} accounts, ${graph.edges.length} links)`,
    graph.nodes_left_out ? note(`${graph.nodes_left_out} low-degree accounts left out of the picture.`) : null,
    networkView(graph, (n) => { location.hash = `#/runs/${run}/accounts/${enc(n.id)}`; }),
    note('Drag to pan, wheel to zoom, click an account to open it.')));

  app.append(section('Members', table(['account', 'degree', 'posts', 'layers'], members.map((m) => [
    link(`#/runs/${run}/accounts/${enc(m.id)}`, ut('@' + (m.handle || m.id))), fmtNum(m.degree), fmtNum(m.posts), (m.layers || []).join(', ')]))));

  app.append(section('Shared objects', table(['layer', 'object', 'co-actions'], (cluster.top_objects || []).map((o) => [o.layer, ut(o.object), fmtNum(o.count)]))));

  const ev = section('Evidence: the posts behind each link');
  ev.id = 'evidence';
  app.append(ev);
  await evidencePage(ev, run, cid, 0);
}

async function evidencePage(box, run, cid, offset) {
  const limit = 20;
  const data = await api.get(`/api/runs/${run}/edges?cluster=${cid}&offset=${offset}&limit=${limit}`);
  for (const old of box.querySelectorAll('.edge, .pager')) old.remove();
  for (const e of data.edges) box.append(edgeBlock(run, e));
  const pager = h('p', { class: 'pager' }, `${offset + 1}–${offset + data.edges.length} of ${data.total} links `);
  if (offset > 0) pager.append(h('button', { type: 'button', onclick: () => evidencePage(box, run, cid, Math.max(0, offset - limit)) }, 'previous'));
  if (offset + limit < data.total) pager.append(h('button', { type: 'button', onclick: () => evidencePage(box, run, cid, offset + limit) }, 'next'));
  box.append(pager);
}

export function edgeBlock(run, e) {
  return h('div', { class: 'edge' },
    h('h3', null, link(`#/runs/${run}/accounts/${enc(e.source)}`, ut('@' + (e.source_handle || e.source))), ' ↔ ',
      link(`#/runs/${run}/accounts/${enc(e.target)}`, ut('@' + (e.target_handle || e.target))),
      h('span', { class: 'muted' }, ` ${e.layer} · weight ${fmtNum(e.weight)} · q ${fmtNum(e.q, 4)} · ${e.co_actions} co-actions`)),
    (e.evidence || []).map((x) => h('div', { class: 'coaction' },
      h('div', { class: 'obj' }, 'shared: ', ut(x.object)),
      h('div', { class: 'pair' },
        h('div', null, h('div', { class: 'meta' }, fmtTime(x.time_a), ' · ', shortId(x.post_a)), post(x.text_a)),
        h('div', null, h('div', { class: 'meta' }, fmtTime(x.time_b), ` · +${fmtNum(x.dt_s)} s · `, shortId(x.post_b)), post(x.text_b))))));
}
