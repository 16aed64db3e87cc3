import { api } from '../api.js';
import { h, clear, link, ut, fmtTime, table, section, note } from '../dom.js';

export async function eventsPage(app, session) {
  const { events } = await api.get('/api/events');
  clear(app);
  app.append(h('h1', null, 'Events'));
  if (!events.length) app.append(note('The event library is empty. Create an event below, then upload data and analyse it.'));
  const rows = events.slice().reverse().map((ev) => {
    const ok = ev.runs.filter((r) => r.status === 'ok');
    const last = ok[ok.length - 1];
    return [
      link('#/events/' + encodeURIComponent(ev.name), ut(ev.name)),
      fmtTime(ev.t0),
      ev.t_claim ? fmtTime(ev.t_claim) : '–',
      ut(ev.place || ''),
      `${ev.runs.length} (${ok.length} ok)`,
      ev.indicators ? `${Object.keys(ev.indicators).length} indicators` : 'not analysed',
      last ? link(`#/runs/${last.id}`, `run ${last.id}`) : '–',
    ];
  });
  app.append(section('Library (the past events every analysis is compared with)',
    table(['event', 'T0', 'claim', 'place', 'runs', 'indicators', 'latest'], rows)));
  if (session.role === 'analyst' || session.role === 'admin') app.append(createEventForm());
}

function createEventForm() {
  const err = h('p', { class: 'error', hidden: true });
  const f = (name, label, attrs = {}) => [h('label', { for: 'ev-' + name }, label), h('input', { id: 'ev-' + name, name, ...attrs })];
  const form = h('form', { class: 'card grid-form', id: 'create-event', onsubmit: async (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(form));
    const body = { name: d.name, t0: d.t0, place: d.place };
    if (d.t_claim) body.t_claim = d.t_claim;
    if (d.languages) body.languages = d.languages.split(',').map((x) => x.trim()).filter(Boolean);
    try {
      await api.post('/api/events', body);
      location.hash = '#/events/' + encodeURIComponent(d.name);
    } catch (x) {
      err.textContent = x.message;
      err.hidden = false;
    }
  } },
  h('h2', null, 'New event'),
  ...f('name', 'Name', { required: true, placeholder: 'brussels-2016' }),
  ...f('t0', 'T0 (UTC)', { required: true, placeholder: '2016-03-22T06:58:00Z' }),
  ...f('t_claim', 'Claim time', { placeholder: 'optional' }),
  ...f('place', 'Place', { placeholder: 'optional' }),
  ...f('languages', 'Languages', { placeholder: 'ar,en,fr' }),
  h('button', { type: 'submit' }, 'Create'), err);
  return form;
}
