// app.js: the shell — session, header, navigation and the hash router.
// Routes: #/search?q=…, #/questions, #/questions/i19, #/coverage, #/documents/7,
// #/upload, #/export, #/users. Every view is render(main, params) in views/.
import { h, clear } from './dom.js';
import { t, settings, setSetting } from './i18n.js';
import { get, post, del, setCsrf, ApiError } from './api.js';
import { session, can, errorBox } from './ui.js';
import * as searchView from './views/search.js';
import * as questionsView from './views/questions.js';
import * as coverageView from './views/coverage.js';
import * as documentView from './views/document.js';
import * as uploadView from './views/upload.js';
import * as exportView from './views/export.js';
import * as usersView from './views/users.js';

const root = document.getElementById('app');

const routes = [
  { re: /^search$/, view: searchView, nav: 'search' },
  { re: /^questions$/, view: questionsView, nav: 'questions' },
  { re: /^questions\/([^/]+)$/, view: questionsView, nav: 'questions', arg: 'code' },
  { re: /^coverage$/, view: coverageView, nav: 'coverage' },
  { re: /^documents\/(\d+)$/, view: documentView, nav: 'search', arg: 'id' },
  { re: /^upload$/, view: uploadView, nav: 'upload', allow: () => can.write() },
  { re: /^export$/, view: exportView, nav: 'export', allow: () => can.export() },
  { re: /^users$/, view: usersView, nav: 'users', allow: () => can.admin() },
];

// The current route: path and query parameters of the hash.
function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  return { path: path || 'search', params: new URLSearchParams(query || '') };
}

function settingsBar() {
  const lang = h('select#set-lang', { 'aria-label': t('language'), on: { change: (e) => { setSetting('lang', e.target.value); start(); } } },
    h('option', { value: 'th', selected: settings.lang === 'th' }, 'ไทย'),
    h('option', { value: 'en', selected: settings.lang === 'en' }, 'English'));
  const digits = h('select#set-digits', { 'aria-label': t('digits'), on: { change: (e) => { setSetting('digits', e.target.value); start(); } } },
    h('option', { value: 'arabic', selected: settings.digits === 'arabic' }, t('arabicDigits') + ' 2567'),
    h('option', { value: 'thai', selected: settings.digits === 'thai' }, t('thaiDigits') + ' ๒๕๖๗'));
  return h('div.settings', lang, digits);
}

function header(active) {
  const items = [['search', t('search')], ['questions', t('questions')], ['coverage', t('coverage')]];
  if (can.write()) items.push(['upload', t('upload')]);
  if (can.export()) items.push(['export', t('export')]);
  if (can.admin()) items.push(['users', t('users')]);
  const nav = h('nav.nav', { 'aria-label': 'main' },
    items.map(([k, label]) => h('a', { href: '#/' + k, id: 'nav-' + k, 'aria-current': k === active ? 'page' : null }, label)));
  const who = h('div.who', h('span.user', { id: 'who' }, session.user), ' ', h('span.role', { id: 'who-role' }, t('role_' + session.role)),
    h('button.link#signout', { type: 'button', on: { click: signOut } }, t('signout')));
  return h('header.top', h('div.brand', h('a', { href: '#/search' }, h('strong', t('app')), h('span.muted', ' ' + t('tagline')))),
    nav, h('div.right', who, settingsBar()));
}

async function signOut() {
  try { await del('/api/session'); } catch (e) { /* the session may be gone already */ }
  session.user = null; session.role = null; setCsrf(null);
  location.hash = '#/search';
  showLogin();
}

function showLogin(message) {
  document.documentElement.lang = settings.lang;
  const user = h('input#login-user', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input#login-pass', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { role: 'alert', id: 'login-msg' }, message ? h('div.msg.error', message) : null);
  const form = h('form.login', { on: { submit: async (e) => {
    e.preventDefault();
    try {
      const r = await post('/api/session', { username: user.value.trim(), password: pass.value });
      session.user = r.user; session.role = r.role; setCsrf(r.csrf);
      start();
    } catch (err) {
      clear(msg, h('div.msg.error', err.status === 401 ? t('badLogin') : err.status === 429 ? t('tooMany') : err.message));
    }
  } } },
  h('h1', t('app')), h('p.muted', t('tagline')),
  h('div.field', h('label', { for: 'login-user' }, t('username')), user),
  h('div.field', h('label', { for: 'login-pass' }, t('password')), pass),
  msg, h('button.primary#login-go', { type: 'submit' }, t('signin')), settingsBar());
  clear(root, h('main.login-page', form));
  user.focus();
}

let renderSeq = 0;
async function route() {
  if (!session.user) return;
  const { path, params } = current();
  const r = routes.find(x => x.re.test(path));
  const main = h('main#main', { tabindex: '-1' });
  clear(root, header(r ? r.nav : ''), main);
  document.documentElement.lang = settings.lang;
  const seq = ++renderSeq;
  if (!r) { main.append(h('h1', t('notFound'))); return; }
  if (r.allow && !r.allow()) { main.append(errorBox(new ApiError(403, 'forbidden', ''))); return; }
  if (r.arg) params.set(r.arg, decodeURIComponent(path.match(r.re)[1]));
  try {
    await r.view.render(main, params, () => seq !== renderSeq);
  } catch (err) {
    if (seq === renderSeq) main.append(errorBox(err));
  }
  document.title = `${t('app')} — ${(main.querySelector('h1') || {}).textContent || ''}`;
}

async function start() {
  document.documentElement.lang = settings.lang;
  if (!session.user) {
    try {
      const s = await get('/api/session');
      session.user = s.user; session.role = s.role; setCsrf(s.csrf);
    } catch (e) {
      return showLogin();
    }
  }
  route();
}

window.addEventListener('hashchange', route);
window.addEventListener('lakthan:unauthenticated', () => { session.user = null; showLogin(); });
start();
