// views/coverage.js: issues → measures, backed (✓ with documents) or not
// (✗, listed first and in a clear colour), progress per issue and overall,
// the questions with their evidence, the rule in words, a year picker.
import { h, clear } from '../dom.js';
import { t, num } from '../i18n.js';
import { get, qs } from '../api.js';
import { years, yearSelect, field, errorBox, loading, progress } from '../ui.js';

const pct = (a, b) => (b ? Math.floor((100 * a) / b) : 0);

function measureItem(m, year) {
  return h('li', { class: m.backed ? 'm backed' : 'm unbacked', 'data-code': m.code },
    h('span.mark', { 'aria-label': m.backed ? t('backed') : t('unbacked') }, m.backed ? '✓' : '✗'),
    h('span.mcode', num(m.code)), h('span.mtext', m.text),
    m.backed ? h('ul.mdocs', (m.documents || []).map(d => h('li', h('a', { href: `#/documents/${d.id}` }, d.title || ('#' + d.id))))) : null);
}

export async function render(main, params, stale) {
  const ys = await years();
  const year = params.get('year') || ys[0] || '';
  const sel = yearSelect('c-year', ys, year, false);
  sel.addEventListener('change', () => { location.hash = '#/coverage?year=' + sel.value; });
  clear(main, h('h1', t('coverage')), h('div.toolbar', field(t('year'), sel)), loading());
  let c;
  try {
    c = await get('/api/coverage' + qs({ year }));
  } catch (err) {
    if (!stale()) { main.lastChild.remove(); main.append(errorBox(err)); }
    return;
  }
  if (stale()) return;
  main.lastChild.remove();
  const p = pct(c.measures_backed, c.measures_total);
  main.append(h('section.overall#overall',
    h('h2', `${t('overall')} ${num(p)}%`),
    progress(c.measures_backed, c.measures_total || 1, t('measuresBacked', c.measures_backed, c.measures_total)),
    progress(c.questions_backed, c.questions_total || 1, t('questionsBacked', c.questions_backed, c.questions_total)),
    h('p.rule', h('strong', t('rule') + ': '), t('ruleText'))));
  const gaps = [];
  for (const is of c.issues || []) for (const m of is.measures || []) if (!m.backed) gaps.push(m);
  main.append(h('section.gaps#gaps', h('h2', t('gapsFirst')),
    gaps.length ? h('ul.mlist', gaps.map(m => measureItem(m, year))) : h('p.msg.ok', t('allBacked'))));
  for (const is of c.issues || []) {
    const ms = (is.measures || []).slice().sort((a, b) => (a.backed - b.backed));
    const backed = is.measures_backed ?? ms.filter(m => m.backed).length;
    const total = is.measures_total ?? ms.length;
    main.append(h('section.issue', h('h2', `${t('issue')} ${num(is.number)}: ${is.title}`),
      progress(backed, total || 1, `${num(backed)}/${num(total)} (${num(pct(backed, total))}%)`),
      h('ul.mlist', ms.map(m => measureItem(m, year)))));
  }
  const qsorted = (c.questions || []).slice().sort((a, b) => (a.backed - b.backed) || a.code.localeCompare(b.code, 'en', { numeric: true }));
  main.append(h('section#cov-questions', h('h2', t('questions')), h('ul.qlist', qsorted.map(q => h('li', { class: q.backed ? 'has' : 'gap' },
    h('a.qcode', { href: `#/questions/${q.code}?year=${year}` }, num(q.code)), h('span.qtext', q.text || ''),
    h('span', { class: q.backed ? 'badge ok' : 'badge no' }, q.backed ? t('evidence', (q.documents || []).length) : t('noEvidence')))))));
}
