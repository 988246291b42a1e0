// views/search.js: one query box, filters (year, question, measure, type),
// results with snippet, chips, count and paging; all state in the URL hash.
import { h, clear, safeSnippet } from '../dom.js';
import { t, num } from '../i18n.js';
import { get, qs } from '../api.js';
import { years, yearSelect, field, chip, typeBadge, errorBox, loading } from '../ui.js';

const LIMIT = 20;
const TYPES = ['pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'html', 'txt', 'image', 'zip'];

// The plan's questions and measures for the filter lists; empty when the
// server has no /api/plan yet (the filters then take a typed code).
async function planLists(year) {
  try {
    const plan = await get('/api/plan' + qs({ year }));
    const qmap = new Map(), measures = [];
    for (const is of plan.issues || []) for (const row of is.rows || []) {
      for (const q of row.questions || []) qmap.set(q.code, q.text);
      for (const m of row.measures || []) measures.push(m);
    }
    return { questions: [...qmap].map(([code, text]) => ({ code, text })).sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true })), measures };
  } catch (e) {
    return { questions: [], measures: [] };
  }
}

function codeFilter(id, name, label, anyLabel, list, value) {
  if (!list.length) return field(label, h('input', { id, name, value: value || '', placeholder: name === 'question' ? 'i19' : '1.2', size: 6 }));
  const sel = h('select', { id, name }, h('option', { value: '' }, anyLabel));
  for (const x of list) {
    const text = x.text.length > 70 ? x.text.slice(0, 70) + '…' : x.text;
    sel.append(h('option', { value: x.code, selected: x.code === value }, `${num(x.code)} ${text}`));
  }
  if (value && !list.some(x => x.code === value)) sel.append(h('option', { value, selected: true }, value));
  return field(label, sel);
}

export async function render(main, params, stale) {
  const p = Object.fromEntries(params);
  const ys = await years();
  const lists = await planLists(p.year || ys[0] || '');
  if (stale()) return;
  const q = h('input#q', { type: 'search', name: 'q', value: p.q || '', placeholder: t('queryHint'), autocomplete: 'off' });
  const typeSel = h('select#f-type', { name: 'type' }, h('option', { value: '' }, t('anyType')),
    TYPES.map(x => h('option', { value: x, selected: x === p.type }, x.toUpperCase())));
  const form = h('form.search', { role: 'search', on: { submit: (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const next = {};
    for (const [k, v] of fd) if (v) next[k] = String(v).trim();
    location.hash = '#/search' + qs(next);
  } } },
  h('div.qrow', h('label.sr', { for: 'q' }, t('query')), q, h('button.primary#search-go', { type: 'submit' }, t('go'))),
  h('div.filters',
    field(t('year'), yearSelect('f-year', ys, p.year, true)),
    codeFilter('f-question', 'question', t('question'), t('anyQuestion'), lists.questions, p.question),
    codeFilter('f-measure', 'measure', t('measure'), t('anyMeasure'), lists.measures, p.measure),
    field(t('type'), typeSel)));
  const out = h('section#results', { 'aria-live': 'polite' });
  clear(main, h('h1', t('search')), form, out);
  if (!p.q && !p.year && !p.question && !p.measure && !p.type) {
    out.append(h('p.muted', t('enterQuery')));
    q.focus();
    return;
  }
  out.append(loading());
  const offset = Math.max(0, parseInt(p.offset || '0', 10) || 0);
  let res;
  try {
    res = await get('/api/search' + qs({ q: p.q, year: p.year, question: p.question, measure: p.measure, type: p.type, limit: LIMIT, offset }));
  } catch (err) {
    if (!stale()) clear(out, errorBox(err));
    return;
  }
  if (stale()) return;
  clear(out, h('p.count#result-count', t('results', res.total)));
  if (!res.results.length) { out.append(h('p.muted', t('noResults'))); return; }
  const list = h('ol.results', { start: offset + 1 });
  for (const r of res.results) {
    list.append(h('li.result',
      h('div.rhead', typeBadge(r.mime), h('a.rtitle', { href: `#/documents/${r.id}` }, r.title || r.filename),
        r.year ? h('span.year', num(r.year)) : null),
      h('div.fname.muted', r.filename),
      r.snippet ? h('p', safeSnippet(r.snippet)) : null,
      h('div.chips', (r.measures || []).map(m => chip(m, 'measure', r.year)), (r.questions || []).map(x => chip(x, 'question', r.year)))));
  }
  out.append(list);
  const pages = Math.ceil(res.total / LIMIT), page = Math.floor(offset / LIMIT) + 1;
  if (pages > 1) {
    const link = (o) => '#/search' + qs({ ...p, offset: o || '' });
    out.append(h('nav.pager', { 'aria-label': 'pages' },
      page > 1 ? h('a', { href: link(offset - LIMIT), rel: 'prev' }, t('prev')) : h('span'),
      h('span', t('page', page, pages)),
      page < pages ? h('a', { href: link(offset + LIMIT), rel: 'next' }, t('next')) : h('span')));
  }
}
