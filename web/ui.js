// ui.js: pieces shared by the views — messages, year picker, chips, type
// badges, and the role checks.
import { h } from './dom.js';
import { t, num } from './i18n.js';
import { get } from './api.js';

export const session = { user: null, role: null };

export const can = {
  write: () => session.role === 'staff' || session.role === 'admin',
  export: () => session.role === 'archivist' || session.role === 'admin',
  admin: () => session.role === 'admin',
};

// A message box for an error: a missing endpoint gets its own clear words.
export function errorBox(err) {
  if (err && err.missingEndpoint) {
    return h('div.msg.warn', { role: 'status', 'data-missing': err.path }, t('notAvailable', err.path.split('?')[0]));
  }
  if (err && err.status === 403) return h('div.msg.error', { role: 'alert' }, t('forbidden'));
  return h('div.msg.error', { role: 'alert' }, `${t('failed')}: ${err && err.message ? err.message : err}`);
}

export function loading() { return h('p.muted', { role: 'status' }, t('loading')); }

let yearsCache = null;
// The years with a plan or documents, newest first (cached per page load).
export async function years() {
  if (!yearsCache) {
    try { yearsCache = (await get('/api/years')).years || []; } catch (e) { yearsCache = []; }
  }
  return yearsCache;
}
export function forgetYears() { yearsCache = null; }

// A labelled <select> of years; any: include an "all years" choice.
export function yearSelect(id, list, value, any) {
  const sel = h('select', { id, name: 'year' });
  if (any) sel.append(h('option', { value: '' }, t('anyYear')));
  for (const y of list) sel.append(h('option', { value: y, selected: String(y) === String(value) }, num(y)));
  return sel;
}

export function field(label, control, hint) {
  return h('div.field', h('label', { for: control.id }, label), control, hint ? h('small.muted', hint) : null);
}

// A chip for a measure or question code, linking to its page.
export function chip(code, kind, year) {
  const href = kind === 'question'
    ? `#/questions/${encodeURIComponent(code)}${year ? '?year=' + year : ''}`
    : `#/coverage${year ? '?year=' + year : ''}`;
  return h('a.chip.' + kind, { href, title: (kind === 'question' ? t('question') : t('measure')) + ' ' + code }, num(code));
}

// A short badge for a MIME type (text, so no icon font is needed).
export function typeBadge(mime) {
  const m = String(mime || '');
  const map = [[/pdf/, 'PDF'], [/wordprocessing|msword|opendocument\.text/, 'DOC'], [/sheet|excel|opendocument\.spreadsheet/, 'XLS'],
    [/presentation|powerpoint/, 'PPT'], [/^image\//, 'IMG'], [/html/, 'HTML'], [/zip/, 'ZIP'], [/^text\//, 'TXT']];
  const hit = map.find(([re]) => re.test(m));
  const label = hit ? hit[1] : 'FILE';
  return h('span.type.type-' + label.toLowerCase(), { title: m }, label);
}

// Parse "1.2, 3.1 i19" into codes.
export function codes(s) { return String(s || '').split(/[\s,;]+/).map(x => x.trim()).filter(Boolean); }

// A progress bar with its label.
export function progress(value, max, label) {
  return h('div.progress', h('progress', { value, max, 'aria-label': label || '' }), label ? h('span', label) : null);
}
