// views/users.js: accounts (admin): list, add, change role, reset password,
// revoke tokens — through /api/users (GET, POST {name, role, password}),
// /api/users/{name} (PATCH {role}), /api/users/{name}/password
// (POST {password}) and /api/users/{name}/tokens (DELETE).
import { h, clear } from '../dom.js';
import { t, num, date } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { field, errorBox, loading } from '../ui.js';

const ROLES = ['staff', 'assessor', 'archivist', 'admin'];

// The outcome of the last change, shown above the list after it re-renders.
let flash = null;

function roleSelect(id, value) {
  return h('select', { id, name: 'role' }, ROLES.map(r => h('option', { value: r, selected: r === value }, t('role_' + r))));
}

export async function render(main, params, stale) {
  const msg = h('div#users-msg', { role: 'status' }, flash ? h('div.msg.ok', flash) : null);
  flash = null;
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
  // run a change; on success re-render with its message, on failure say why
  const act = async (fn, done) => {
    try {
      const r = await fn();
      flash = done(r);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) { clear(msg, errorBox(err)); }
  };
  const users = res.users || [];
  const table = h('table.users', h('thead', h('tr', [t('username'), t('role'), t('tokens'), t('resetPassword'), ''].map(x => h('th', { scope: 'col' }, x)))), h('tbody',
    users.map((u) => {
      const name = u.name;
      const path = `/api/users/${encodeURIComponent(name)}`;
      const sel = roleSelect(null, u.role);
      sel.classList.add('u-role');
      sel.setAttribute('aria-label', `${t('role')} ${name}`);
      sel.addEventListener('change', () => act(() => patch(path, { role: sel.value }), () => t('roleChanged', name)));
      const pw = h('input.u-pass', { type: 'password', 'aria-label': `${t('newPassword')} ${name}`, autocomplete: 'new-password', size: 12, required: true, minlength: 8 });
      return h('tr', { 'data-user': name, class: u.disabled ? 'disabled' : null },
        h('td', h('strong', name), u.disabled ? h('span.badge.no', ' ' + t('disabled')) : null, u.created_at ? h('div.muted.small', `${t('created')} ${date(u.created_at)}`) : null),
        h('td', sel),
        h('td.u-tokens', num(u.tokens ?? 0)),
        h('td', h('form.inline', { on: { submit: (e) => { e.preventDefault(); act(() => post(path + '/password', { password: pw.value }), () => t('passwordSet', name)); } } },
          pw, h('button.u-pw-go', { type: 'submit' }, t('resetPassword')))),
        h('td', h('button.u-revoke', { type: 'button', on: { click: () => act(() => del(path + '/tokens'), (r) => t('tokensRevoked', name, r.revoked ?? 0)) } }, t('revokeTokens'))));
    })));
  const nu = h('input#nu-name', { name: 'name', required: true, autocomplete: 'off' });
  const np = h('input#nu-pass', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const nr = roleSelect('nu-role', 'staff');
  main.append(h('div.scroll', table), h('form.card#add-user', { on: { submit: (e) => {
    e.preventDefault();
    const name = nu.value.trim();
    act(() => post('/api/users', { name, role: nr.value, password: np.value }), () => t('userAdded', name));
  } } },
  h('h2', t('addUser')), h('div.filters', field(t('username'), nu), field(t('password'), np), field(t('role'), nr)), h('button.primary#nu-go', { type: 'submit' }, t('addUser'))));
}
