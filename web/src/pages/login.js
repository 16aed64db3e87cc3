import { api, ApiError } from '../api.js';
import { h, clear } from '../dom.js';

export function loginPage(app, onLogin) {
  clear(app);
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const name = h('input', { name: 'name', id: 'login-name', autocomplete: 'username', required: true, autofocus: true });
  const pw = h('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card login', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const s = await api.post('/api/login', { name: name.value, password: pw.value }, { noRedirect: true });
      onLogin(s);
    } catch (x) {
      err.textContent = x instanceof ApiError ? x.message : String(x);
      err.hidden = false;
      pw.value = '';
    }
  } },
  h('h1', null, 'Log in to chorus'),
  h('label', { for: 'login-name' }, 'User'), name,
  h('label', { for: 'login-password' }, 'Password'), pw,
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'), err,
  h('p', { class: 'note' }, 'Accounts are created on the server with `chorus users add NAME --role analyst`.'));
  app.append(form);
}
