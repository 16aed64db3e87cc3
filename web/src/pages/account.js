import { api } from '../api.js';
import { h, clear, link, ut, post, shortId, fmtTime, fmtNum, section, note } from '../dom.js';
import { edgeBlock } from './cluster.js';

export async function accountPage(app, run, account) {
  const d = await api.get(`/api/runs/${run}/accounts/${encodeURIComponent(account)}`);
  const a = d.account;
  clear(app);
  app.append(h('h1', null, link(`#/runs/${run}`, `run ${run}`), ' · ', ut('@' + (a.handle || a.id))));
  app.append(h('dl', { class: 'facts' },
    h('dt', null, 'id'), h('dd', null, ut(a.id)),
    h('dt', null, 'cluster'), h('dd', null, a.cluster === null ? 'none' : link(`#/runs/${run}/clusters/${a.cluster}`, `cluster ${a.cluster}`)),
    h('dt', null, 'degree'), h('dd', null, fmtNum(a.degree)),
    h('dt', null, 'posts in the data'), h('dd', null, fmtNum(a.posts)),
    h('dt', null, 'layers'), h('dd', null, (a.layers || []).join(', '))));
  app.append(section(`Posts in the evidence (${d.posts.length})`, d.posts.length ? d.posts.map((p) => h('div', { class: 'coaction' },
    h('div', { class: 'meta' }, fmtTime(p.time), ' · ', shortId(p.id)), post(p.text))) : note('none')));
  const s = section(`Links (${d.edges_total})`);
  for (const e of d.edges) s.append(edgeBlock(run, e));
  app.append(s);
}
