import { api, enc } from '../api.js';
import { h, clear, link, ut, fmtTime, fmtNum, fmtDuration, table, section, note } from '../dom.js';
import { timeChart, stackedBars } from '../charts.js';

export async function eventPage(app, name, session) {
  const ev = await api.get('/api/events/' + enc(name));
  clear(app);
  app.append(h('h1', null, 'Event ', ut(ev.name)));
  app.append(eventFacts(ev));
  const runs = ev.runs.slice().reverse();
  app.append(section('Runs', runs.length ? table(['run', 'status', 'created', 'inputs', 'version'], runs.map((r) => [
    r.status === 'ok' ? link(`#/runs/${r.id}`, `run ${r.id}`) : `run ${r.id}`, h('span', { class: 'status ' + r.status }, r.status),
    fmtTime(r.created), (r.inputs || []).map((i) => i.path.split('/').pop()).join(', '), r.chorus_version,
  ])) : note('No analysis yet: upload data and start one from “Upload & analyse”.')));
  if (session.role !== 'viewer') {
    app.append(h('p', null, link('#/upload?event=' + enc(ev.name), 'Analyse this event…')));
  }
  const ok = runs.find((r) => r.status === 'ok');
  if (ok) await runDashboard(app, ok.id);
}

export async function runPage(app, id) {
  const { run } = await api.get(`/api/runs/${id}`);
  const ev = await api.get('/api/events/' + enc(run.event));
  clear(app);
  app.append(h('h1', null, link('#/events/' + enc(ev.name), ut(ev.name)), ` · run ${id}`));
  app.append(eventFacts(ev));
  await runDashboard(app, id);
}

function eventFacts(ev) {
  return h('dl', { class: 'facts' },
    h('dt', null, 'T0'), h('dd', null, fmtTime(ev.t0)),
    h('dt', null, 'claim'), h('dd', null, ev.t_claim ? fmtTime(ev.t_claim) : 'none'),
    h('dt', null, 'place'), h('dd', null, ut(ev.place || '–')),
    h('dt', null, 'languages'), h('dd', null, (ev.languages || []).join(', ') || '–'));
}

function pastLine(p) {
  if (!p) return 'no past events in the library';
  if (p.median === null || p.median === undefined) return `past events: ${p.events}, none comparable${p.note ? ' (' + p.note + ')' : ''}`;
  return `past median ${fmtNum(p.median)} (n=${p.n}); this event at the ${fmtNum(p.percentile, 0)}th percentile`;
}

function card(title, value, sub, past) {
  return h('div', { class: 'icard' }, h('h3', null, title), h('div', { class: 'ival' }, value), sub ? h('div', { class: 'isub' }, sub) : null,
    past !== undefined ? h('div', { class: 'ipast' }, pastLine(past)) : null);
}

function ci(a) { return a && a.length === 2 ? `95% CI ${fmtNum(a[0])}–${fmtNum(a[1])}` : ''; }

export async function runDashboard(app, id) {
  const [res, meta, clusters] = await Promise.all([
    api.get(`/api/runs/${id}/results`), api.get(`/api/runs/${id}`), api.get(`/api/runs/${id}/clusters?limit=200`)]);
  const I = res.indicators || {};
  const t0 = Date.parse(res.event.t0);
  const claim = res.event.t_claim ? Date.parse(res.event.t_claim) : null;
  const onsetT = I.onset_latency?.first_coaction ? Date.parse(I.onset_latency.first_coaction) : null;
  const markers = [{ ms: t0, label: 'T0', color: '#dc2626' }];
  if (claim) markers.push({ ms: claim, label: 'T_claim', color: '#9333ea' });
  if (onsetT) markers.push({ ms: onsetT, label: 'onset', color: '#ea580c' });

  app.append(h('p', { class: 'links' },
    meta.has_report ? h('a', { href: `/api/runs/${id}/report`, target: '_blank', rel: 'noopener', id: 'report-link' }, 'Open the report') : 'No report rendered',
    ' · ', h('a', { href: `/api/runs/${id}/results`, download: `results-run-${id}.json` }, 'results.json'),
    ' · ', `${fmtNum(res.corpus.posts)} posts, ${fmtNum(res.corpus.accounts)} accounts, ${fmtTime(res.corpus.first)} – ${fmtTime(res.corpus.last)}`));
  if (res.warnings?.length) app.append(h('div', { class: 'warn' }, res.warnings.map((w) => h('p', null, w))));

  const vol = I.volume_lift;
  const series = (vol?.series || []).map((b) => [Date.parse(b.start), b.posts]);
  const accts = (vol?.series || []).map((b) => [Date.parse(b.start), b.accounts]);
  app.append(section('Volume around the event',
    timeChart({ title: 'posts per bin', series: [{ name: 'posts', kind: 'bars', points: series }, { name: 'accounts', points: accts, color: '#16a34a' }], markers, yLabel: `per ${fmtDuration(vol?.series_bin_s)}` })));

  const cards = h('div', { class: 'cards' });
  for (const w of vol?.windows || []) {
    cards.append(card(`Volume lift, first ${w.window}`, fmtNum(w.lift_posts), `${fmtNum(w.posts)} posts vs baseline ${fmtNum(w.baseline_posts)}; ${ci(w.lift_posts_ci95)}`, w.past));
  }
  const on = I.onset_latency;
  if (on) cards.append(card('Coordination onset', on.seconds === null ? 'none' : fmtDuration(on.seconds),
    on.cluster !== null && on.cluster !== undefined ? `cluster ${on.cluster} (${on.cluster_size} accounts), ${on.layer || ''}` : (on.notes || []).join('; '), on.past));
  const ht = I.hashtags;
  if (ht) cards.append(card('Hashtags after T0', `${fmtNum(ht.counts?.new)} new`, `${fmtNum(ht.counts?.revived)} revived, ${fmtNum(ht.counts?.ongoing)} ongoing`));
  const rc = I.recirculation;
  if (rc) cards.append(card('Recirculated content', rc.share === null ? '–' : `${fmtNum(100 * rc.share, 1)} %`, `${fmtNum(rc.revived)} of ${fmtNum(rc.items_after_t0)} items; ${ci(rc.share_ci95?.map((x) => 100 * x))}`, rc.past));
  const es = I.ecosystem_share;
  if (es?.after_t0) cards.append(card('Ecosystem share of posts', `${fmtNum(100 * es.after_t0.post_share, 1)} %`, `${fmtNum(es.ecosystem_accounts)} accounts in clusters; ${ci(es.after_t0.post_share_ci95?.map((x) => 100 * x))}`));
  const st = I.stance;
  if (st) cards.append(card('Attribution unanimity after T0', st.unanimity_after_t0 === null ? '–' : `${fmtNum(100 * st.unanimity_after_t0, 1)} %`, `${fmtNum(st.labelled_posts)} labelled posts`, st.past));
  app.append(section('Indicators (lift over past events)', cards));

  if (ht?.tags?.length) {
    const offsets = ht.tags[0].adoption.map((a) => a.offset);
    const maxA = Math.max(1, ...ht.tags.flatMap((t) => t.adoption.map((a) => a.accounts)));
    const bar = (n) => h('span', { class: 'hbar' }, h('span', { class: 'hbar-fill', style: { width: `${(100 * n) / maxA}%` } }), h('span', { class: 'hbar-n' }, fmtNum(n)));
    app.append(section('Hashtag adoption (accounts using the tag within each offset of T0)',
      table(['hashtag', 'status', 'before T0', 'after T0', ...offsets.map((o) => `+${o}`)], ht.tags.slice(0, 15).map((t) => [
        ut('#' + t.hashtag), t.status, fmtNum(t.posts_before_t0), fmtNum(t.posts_after_t0), ...t.adoption.map((a) => bar(a.accounts))]))));
  }
  if (st?.series?.length) {
    const keys = ['asserts', 'speculates', 'denies', 'none'];
    app.append(section('Attribution stance over time',
      stackedBars({ title: 'stance of posts per bin', bins: st.series.map((b) => ({ ms: Date.parse(b.start), values: b.counts })), keys,
        colors: ['#dc2626', '#ea580c', '#2563eb', '#cbd5e1'], markers })));
  }

  app.append(section(`Coordinated clusters (${clusters.total})`, clusters.clusters.length ? table(
    ['cluster', 'accounts', 'layers', 'edges', 'first co-action', 'top shared object'],
    clusters.clusters.map((c) => [
      link(`#/runs/${id}/clusters/${c.id}`, `cluster ${c.id}`), fmtNum(c.size), (c.layers || []).join(', '), fmtNum(c.edges), fmtTime(c.first_coaction),
      c.top_objects?.[0] ? ut(c.top_objects[0].object.slice(0, 120)) : '–',
    ])) : note('No coordinated cluster at these settings.')));
}
