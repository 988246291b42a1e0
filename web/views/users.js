// views/users.js: accounts (admin): list, add, change role, reset password,
// revoke tokens — through /api/users (GET, POST) and /api/users/{name}
// (PATCH {role}), /api/users/{name}/password (POST {password}) and
// /api/users/{name}/tokens (DELETE).
import { h, clear } from '../dom.js';
import { t, date } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { field, errorBox, loading } from '../ui.js';

const ROLES = ['staff', 'assessor', 'archivist', 'admin'];

function roleSelect(id, value) {
  return h('select', { id, name: 'role' }, ROLES.map(r => h('option', { value: r, selected: r === value }, t('role_' + r))));
}

export async function render(main, params, stale) {
  const msg = h('div#users-msg', { role: 'status' });
  clear(main, h('h1', t('usersTitle')), msg, loading());
  let res;
  try {
    res = await get('/api/users');
  } catch (err) {
    if (!stale()) { main.lastChild.remove(); main.append(errorBox(err)); }
    return;
  }
  if (stale()) return;
  main.lastChild.remove();
  const act = async (fn) => { try { await fn(); window.dispatchEvent(new HashChangeEvent('hashchange')); } catch (err) { clear(msg, errorBox(err)); } };
  const users = Array.isArray(res) ? res : res.users || [];
  const table = h('table.users', h('thead', h('tr', [t('username'), t('role'), '', ''].map(x => h('th', { scope: 'col' }, x)))), h('tbody',
    users.map((u, i) => {
      const name = u.name || u.username;
      const path = `/api/users/${encodeURIComponent(name)}`;
      const sel = roleSelect('r-' + i, u.role);
      sel.setAttribute('aria-label', `${t('role')} ${name}`);
      sel.addEventListener('change', () => act(() => patch(path, { role: sel.value })));
      const pw = h('input', { type: 'password', 'aria-label': `${t('newPassword')} ${name}`, autocomplete: 'new-password', size: 12 });
      return h('tr', h('td', name, u.created_at ? h('div.muted', date(u.created_at)) : null), h('td', sel),
        h('td', h('form.inline', { on: { submit: (e) => { e.preventDefault(); act(() => post(path + '/password', { password: pw.value })); } } }, pw, h('button', { type: 'submit' }, t('resetPassword')))),
        h('td', h('button', { type: 'button', on: { click: () => act(() => del(path + '/tokens')) } }, t('revokeTokens'))));
    })));
  const nu = h('input#nu-name', { name: 'name', required: true, autocomplete: 'off' });
  const np = h('input#nu-pass', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const nr = roleSelect('nu-role', 'staff');
  main.append(h('div.scroll', table), h('form.card', { on: { submit: (e) => { e.preventDefault(); act(() => post('/api/users', { username: nu.value.trim(), role: nr.value, password: np.value })); } } },
    h('h2', t('addUser')), h('div.filters', field(t('username'), nu), field(t('password'), np), field(t('role'), nr)), h('button.primary', { type: 'submit' }, t('addUser'))));
}
