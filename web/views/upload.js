// views/upload.js: drag and drop or pick many files; year, measures and
// questions; one XHR per file with its progress bar; then per file added,
// duplicate (with a link) or rejected (with the reason), and the text
// extraction status polled until it is no longer pending.
import { h, clear } from '../dom.js';
import { t, num, bytes, currentFiscalYear } from '../i18n.js';
import { get, post, uploadFile } from '../api.js';
import { years, yearSelect, field, codes, errorBox, forgetYears } from '../ui.js';
import { textStatus, linkBody } from './document.js';

export async function render(main) {
  const ys = await years();
  const list = [...new Set([currentFiscalYear(), ...ys])].sort((a, b) => b - a);
  const year = yearSelect('u-year', list, ys[0] || currentFiscalYear(), false);
  const measures = h('input#u-measures', { name: 'measure', placeholder: '1.2, 3.1' });
  const questions = h('input#u-questions', { name: 'question', placeholder: 'i19' });
  const input = h('input#u-files', { type: 'file', multiple: true, class: 'sr' });
  const rows = h('ul.uploads#uploads', { 'aria-live': 'polite' });
  let files = [];
  const drop = h('label.drop#drop', { for: 'u-files', tabindex: '0' }, t('dropHere'));
  const pick = (fl) => {
    for (const f of fl) files.push(f);
    clear(rows, files.map((f, i) => h('li', { 'data-i': i }, h('span.fname', f.name), h('span.muted', ' ' + bytes(f.size)))));
  };
  input.addEventListener('change', () => pick(input.files));
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); pick(e.dataTransfer.files); });
  const go = h('button.primary#u-go', { type: 'submit' }, t('start'));
  const form = h('form.upload', { on: { submit: async (e) => {
    e.preventDefault();
    if (!files.length) { input.click(); return; }
    go.disabled = true;
    const batch = files; files = [];
    clear(rows);
    const fields = { year: year.value };
    const ms = codes(measures.value), qs = codes(questions.value);
    for (const f of batch) await one(f, fields, ms, qs, rows);
    forgetYears();
    go.disabled = false;
  } } },
  drop, input, h('div.filters', field(t('year'), year), field(t('measuresField'), measures), field(t('questionsField'), questions)), go);
  clear(main, h('h1', t('upload')), form, rows);
}

// Upload one file and follow it to the end.
async function one(file, fields, ms, qs, rows) {
  const bar = h('progress', { max: file.size || 1, value: 0, 'aria-label': file.name });
  const state = h('span.state', t('st_waiting'));
  const extra = h('div.extra');
  const li = h('li.upload', h('div.uhead', h('span.fname', file.name), h('span.muted', ' ' + bytes(file.size))), bar, state, extra);
  rows.append(li);
  state.textContent = t('st_sending');
  const r = await uploadFile(file, { ...fields, measure: ms, question: qs }, (sent, total) => {
    bar.max = total || 1; bar.value = sent;
    state.textContent = `${t('st_sending')} ${num(Math.floor((100 * sent) / (total || 1)))}%`;
  });
  bar.value = bar.max;
  const data = r.data || {};
  const rej = (data.rejected || [])[0] || (data.error && !data.rejected ? { error: data.error.message } : null);
  const doc = (data.documents || [])[0];
  if (!doc) {
    li.classList.add('rejected');
    state.textContent = `${t('st_rejected')}: ${rej ? rej.error : (r.status ? 'HTTP ' + r.status : 'network')}`;
    return;
  }
  li.classList.add(doc.status);
  state.textContent = doc.status === 'duplicate' ? t('st_duplicate') : t('st_added');
  const a = h('a', { href: `#/documents/${doc.id}` }, doc.status === 'duplicate' ? t('openExisting') + ` #${num(doc.id)}` : (doc.title || doc.filename || '#' + doc.id));
  const ts = h('span.ts', textStatus(doc));
  clear(extra, a, ' · ', ts);
  for (const c of [...ms, ...qs]) {
    try {
      const d = await get(`/api/documents/${doc.id}`);
      const have = /^[ieo]/i.test(c) ? d.questions || [] : d.measures || [];
      if (!have.includes(c.toLowerCase())) await post(`/api/documents/${doc.id}/links`, linkBody(c));
    } catch (err) {
      extra.append(errorBox(err));
      break;
    }
  }
  let d = doc;
  for (let i = 0; i < 300 && d.text_status === 'pending'; i++) {
    await new Promise(res => setTimeout(res, 700));
    try { d = await get(`/api/documents/${doc.id}`); } catch (err) { break; }
    ts.textContent = textStatus(d);
  }
  ts.textContent = textStatus(d);
  li.dataset.text = d.text_status;
}
