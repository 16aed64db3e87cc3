import { api, upload, enc } from '../api.js';
import { h, clear, link, ut, fmtTime, fmtNum, table, section, note } from '../dom.js';

let pollTimer = 0;

export async function uploadPage(app, session, preset) {
  clearTimeout(pollTimer);
  const [{ uploads }, { events }, { jobs }] = await Promise.all([api.get('/api/uploads'), api.get('/api/events'), api.get('/api/jobs')]);
  clear(app);
  app.append(h('h1', null, 'Upload & analyse'));
  const canWrite = session.role !== 'viewer';
  if (!canWrite) app.append(note('Viewers can read results; uploading and analysing need the analyst role.'));

  if (canWrite) {
    const file = h('input', { type: 'file', id: 'upload-file', name: 'file' });
    const bar = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true });
    const status = h('p', { id: 'upload-status', class: 'muted' });
    const go = h('button', { type: 'submit', id: 'upload-submit' }, 'Upload');
    const form = h('form', { class: 'card', onsubmit: async (e) => {
      e.preventDefault();
      const f = file.files[0];
      if (!f) return;
      go.disabled = true;
      bar.hidden = false;
      try {
        const res = await upload(f, (done, total) => {
          bar.max = total || 1; bar.value = done;
          status.textContent = `sent ${fmtNum(done)} of ${fmtNum(total)} bytes`;
        });
        status.textContent = 'received; reading posts…';
        await waitJob(res.job.id, (j) => { status.textContent = `reading: ${fmtNum(j.posts)} posts`; });
        uploadPage(app, session, preset);
      } catch (x) {
        status.textContent = x.message;
        status.className = 'error';
        go.disabled = false;
      }
    } }, h('h2', null, 'Upload a file'), note('Any supported export (Twitter v1.1/v2 JSON, twarc CSV, Telegram, CooRTweet/QUT CSV, generic CSV/JSONL), gzip or zstd compressed.'), file, go, bar, status);
    app.append(form);
  }

  app.append(section('Uploads', uploads.length ? table(['', 'file', 'state', 'format', 'posts', 'skipped', 'span', 'uploaded'], uploads.map((u) => [
    canWrite && u.state === 'ready' ? h('input', { type: 'checkbox', class: 'pick-upload', value: u.id, 'aria-label': 'use ' + u.name, checked: true }) : '',
    ut(u.name), h('span', { class: 'status ' + u.state }, u.state), u.format || '–', fmtNum(u.posts), fmtNum(u.skipped),
    u.first ? `${fmtTime(u.first)} – ${fmtTime(u.last)}` : (u.error ? ut(u.error) : '–'), `${fmtTime(u.created)} by ${u.user}`,
  ])) : note('No uploads yet.')));

  if (canWrite) app.append(analyseForm(app, events, preset));

  const active = jobs.filter((j) => j.kind === 'analyze').slice(0, 10);
  if (active.length) {
    app.append(section('Recent analyses', table(['job', 'event', 'state', 'phase', 'posts', 'time', ''], active.map((j) => [
      j.id, ut(j.event), h('span', { class: 'status ' + j.state }, j.state), j.phase || '', fmtNum(j.posts), `${fmtNum(j.elapsed_s, 1)} s`,
      j.run_id && j.state === 'ok' ? link(`#/runs/${j.run_id}`, 'open') : '',
    ]))));
  }
}

function analyseForm(app, events, preset) {
  const sel = h('select', { id: 'analyse-event', name: 'event' }, events.map((e) => h('option', { value: e.name, selected: e.name === preset }, e.name)));
  const perms = h('input', { id: 'analyse-permutations', name: 'permutations', type: 'number', min: 0, max: 1000, value: 20 });
  const win = h('input', { id: 'analyse-window', name: 'window', value: '60s' });
  const status = h('div', { id: 'analyse-status', class: 'muted' });
  const go = h('button', { type: 'submit', id: 'analyse-submit' }, 'Start analysis');
  const form = h('form', { class: 'card grid-form', onsubmit: async (e) => {
    e.preventDefault();
    const ids = [...app.querySelectorAll('.pick-upload:checked')].map((c) => c.value);
    if (!ids.length) { status.textContent = 'Pick at least one ready upload.'; return; }
    go.disabled = true;
    try {
      const job = await api.post(`/api/events/${enc(sel.value)}/analyses`, { uploads: ids, params: { permutations: Number(perms.value), window: win.value } });
      const cancel = h('button', { type: 'button', id: 'analyse-cancel', onclick: () => api.post(`/api/jobs/${job.id}/cancel`).catch(() => {}) }, 'Cancel');
      const line = h('span');
      clear(status).append(line, ' ', cancel);
      const done = await waitJob(job.id, (j) => { line.textContent = `${j.state}: ${j.phase || ''} · ${fmtNum(j.posts)} posts · ${fmtNum(j.elapsed_s, 1)} s`; });
      clear(status);
      if (done.state === 'ok') status.append('Done: ', link(`#/runs/${done.run_id}`, `open run ${done.run_id}`));
      else status.append(`${done.state}: ${done.error || ''}`);
    } catch (x) {
      status.textContent = x.message;
    }
    go.disabled = false;
  } },
  h('h2', null, 'Analyse'),
  events.length ? null : note('Create the event first (Events page).'),
  h('label', { for: 'analyse-event' }, 'Event'), sel,
  h('label', { for: 'analyse-window' }, 'Co-action window'), win,
  h('label', { for: 'analyse-permutations' }, 'Null-model permutations'), perms,
  go, status);
  return form;
}

function waitJob(id, tick) {
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        const j = await api.get(`/api/jobs/${id}`);
        tick(j);
        if (['ok', 'failed', 'cancelled'].includes(j.state)) {
          if (j.state === 'failed' && j.kind === 'ingest') reject(new Error(j.error));
          else resolve(j);
          return;
        }
        pollTimer = setTimeout(poll, 300);
      } catch (x) { reject(x); }
    };
    poll();
  });
}
