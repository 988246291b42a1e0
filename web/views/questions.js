// views/questions.js: the year's ITA questions grouped by instrument (IIT,
// EIT, OIT), and one question's page: the plan rows and measures citing it
// and every document behind it — the assessor's main screen.
import { h, clear } from '../dom.js';
import { t, num } from '../i18n.js';
import { get, qs } from '../api.js';
import { years, yearSelect, field, chip, typeBadge, errorBox, loading } from '../ui.js';

const byCode = (a, b) => a.code.localeCompare(b.code, 'en', { numeric: true });

function yearBar(ys, year, code) {
  const sel = yearSelect('q-year', ys, year, false);
  sel.addEventListener('change', () => { location.hash = `#/questions${code ? '/' + code : ''}?year=${sel.value}`; });
  return h('div.toolbar', field(t('year'), sel));
}

export async function render(main, params, stale) {
  const ys = await years();
  const year = params.get('year') || ys[0] || '';
  const code = params.get('code');
  if (code) return renderOne(main, code.toLowerCase(), year, ys, stale);
  clear(main, h('h1', t('questions')), yearBar(ys, year), loading());
  let res;
  try {
    res = await get('/api/questions' + qs({ year }));
  } catch (err) {
    if (!stale()) clear(main, h('h1', t('questions')), yearBar(ys, year), errorBox(err));
    return;
  }
  if (stale()) return;
  const list = (Array.isArray(res) ? res : res.questions || []).slice().sort(byCode);
  clear(main, h('h1', t('questions')), yearBar(ys, year));
  for (const inst of ['i', 'e', 'o']) {
    const qsOf = list.filter(q => q.code[0] === inst);
    if (!qsOf.length) continue;
    main.append(h('section.group', h('h2', t('instrument_' + inst)),
      h('ul.qlist', qsOf.map(q => {
        const n = q.evidence_count ?? (q.documents || []).length;
        return h('li', { class: n ? 'has' : 'gap' },
          h('a.qcode', { href: `#/questions/${q.code}?year=${year}` }, num(q.code)),
          h('span.qtext', q.text || ''),
          h('span.badge', { class: n ? 'badge ok' : 'badge no' }, n ? t('evidence', n) : t('noEvidence')));
      }))));
  }
}

// The plan rows citing code, from GET /api/plan.
function rowsCiting(plan, code) {
  const rows = [];
  for (const is of plan.issues || []) for (const row of is.rows || [])
    if ((row.questions || []).some(q => q.code === code)) rows.push({ issue: is, row });
  return rows;
}

async function renderOne(main, code, year, ys, stale) {
  const head = h('h1', `${t('question')} ${num(code)}`);
  // a saved search per ITA item: the query lives in the URL, so it can be bookmarked
  const searchThis = h('p', h('a.button.search-this#search-this', { href: '#/search' + qs({ q: 'question:' + code, year }), title: t('searchThisHint') }, t('searchThis')));
  clear(main, h('p', h('a', { href: `#/questions?year=${year}` }, '← ' + t('questions'))), head, yearBar(ys, year, code), searchThis, loading());
  const [qr, pr] = await Promise.allSettled([get(`/api/questions/${encodeURIComponent(code)}` + qs({ year })), get('/api/plan' + qs({ year }))]);
  if (stale()) return;
  main.lastChild.remove();
  const q = qr.status === 'fulfilled' ? qr.value : null;
  const text = q ? (q.text || (q.question && q.question.text)) : null;
  if (text) main.insertBefore(h('p.lead#question-text', text), main.children[2]);
  const rowsBox = h('section#plan-rows', h('h2', t('planRows')));
  if (pr.status === 'fulfilled') {
    const rows = rowsCiting(pr.value, code);
    if (!text) for (const { row } of rows) for (const x of row.questions) if (x.code === code && x.text) { main.insertBefore(h('p.lead', x.text), main.children[2]); break; }
    if (!rows.length) rowsBox.append(h('p.muted', t('none')));
    for (const { issue, row } of rows) {
      rowsBox.append(h('article.card',
        h('h3', `${t('issue')} ${num(issue.number)}: ${issue.title}`),
        (row.findings || []).length ? h('div', h('strong', t('findings') + ': '), h('ul', row.findings.map(f => h('li', typeof f === 'string' ? f : f.text)))) : null,
        h('div', h('strong', t('measures') + ': '), h('ul.measures', (row.measures || []).map(m => h('li', chip(m.code, 'measure', year), ' ', m.text)))),
        (row.results || []).length ? h('div', h('strong', t('planResults') + ': '), h('ul', row.results.map(r => h('li', typeof r === 'string' ? r : r.text)))) : null));
    }
  } else {
    rowsBox.append(errorBox(pr.reason));
  }
  const docsBox = h('section#evidence', h('h2', t('documents')));
  if (q) {
    const docs = q.documents || q.evidence || [];
    if (!docs.length) docsBox.append(h('p.msg.warn', t('noEvidence')));
    else docsBox.append(h('ul.doclist', docs.map(d => h('li',
      typeBadge(d.mime), ' ', h('a', { href: `#/documents/${d.id}` }, d.title || d.filename || ('#' + d.id)),
      d.filename && d.title ? h('span.muted', ' ' + d.filename) : null,
      (d.via || d.measures || []).length ? h('span.chips', (d.via ? [].concat(d.via) : d.measures).map(m => typeof m === 'string' ? chip(m, 'measure', year) : chip(m.code || m, 'measure', year))) : null,
      d.id ? h('a.small', { href: `/api/documents/${d.id}/file`, target: '_blank', rel: 'noopener' }, t('download')) : null))));
    if (Array.isArray(q.measures) && q.measures.length && pr.status !== 'fulfilled')
      docsBox.prepend(h('div.chips', q.measures.map(m => chip(m.code || m, 'measure', year))));
  } else {
    docsBox.append(errorBox(qr.reason));
  }
  main.append(docsBox, rowsBox);
}
