// views/document.js: one document — metadata, a safe inline preview (images
// here; PDFs in a new tab, since the service never lets its files be framed),
// the extracted text, links (add/remove with suggestions), edit, withdraw.
import { h, clear } from '../dom.js';
import { t, num, date, bytes } from '../i18n.js';
import { get, post, patch, del, qs } from '../api.js';
import { can, chip, typeBadge, errorBox, loading, field, codes } from '../ui.js';

const IMG = /^image\/(png|jpeg|gif|webp)$/;

export function textStatus(d) {
  const s = String(d.text_status || '');
  const key = 'ts_' + (s.startsWith('failed') ? 'failed' : s);
  let out = t(key) === key ? s : t(key);
  if (s === 'ok' && d.text_chars != null) out += ` (${t('chars', d.text_chars)})`;
  return out;
}

// A link body for a code: "1.2" → measure, "i19" → question.
export function linkBody(code) {
  return /^[ieoIEO]/.test(code) ? { question: code.toLowerCase() } : { measure: code };
}

export async function render(main, params, stale) {
  const id = params.get('id');
  clear(main, loading());
  const d = await get(`/api/documents/${id}`);
  if (stale()) return;
  const write = can.write() && !d.withdrawn_at;
  const msg = h('div#doc-msg', { role: 'status' });
  const meta = h('dl.meta',
    [[t('filename'), d.filename], [t('mime'), d.mime], [t('size'), bytes(d.size)], [t('year'), d.year ? num(d.year) : t('none')],
      [t('uploadedBy'), d.uploaded_by], [t('uploadedAt'), date(d.uploaded_at, true)], [t('textStatus'), textStatus(d)],
      [t('description'), d.description || t('none')], [t('sha256'), d.sha256]]
      .map(([k, v]) => [h('dt', k), h('dd', { class: k === t('sha256') ? 'mono' : null }, v == null ? t('none') : String(v))]));
  clear(main, h('h1', typeBadge(d.mime), ' ', d.title || d.filename), msg,
    d.withdrawn_at ? h('div.msg.error', `${t('withdrawn')} ${date(d.withdrawn_at)}: ${d.withdrawn_reason || ''}`) : null,
    h('div.cols', h('section', meta,
      h('p', h('a.button', { href: `/api/documents/${id}/file`, download: d.filename }, t('download')), ' ',
        d.mime === 'application/pdf' ? h('a.button', { href: `/api/documents/${id}/file`, target: '_blank', rel: 'noopener' }, t('openPdf')) : null)),
    h('section.preview', h('h2', t('preview')),
      IMG.test(d.mime) ? h('img', { src: `/api/documents/${id}/file`, alt: d.title || d.filename }) : h('p.muted', d.mime === 'application/pdf' ? t('openPdf') : t('noPreview')))));
  main.append(await linksSection(d, write, msg, stale));
  if (write) main.append(editSection(d, msg), withdrawSection(d, msg));
  const textBox = h('section#doc-text', h('h2', t('text')));
  main.append(textBox);
  try {
    const res = await get(`/api/documents/${id}/text`, { raw: true });
    const txt = await res.text();
    textBox.append(h('pre.text', txt.length > 200000 ? txt.slice(0, 200000) + '\n…' : txt));
  } catch (err) {
    textBox.append(h('p.muted', textStatus(d)));
  }
}

async function linksSection(d, write, msg, stale) {
  const box = h('section#links', h('h2', t('links')));
  const listM = (d.measures || []).map(c => ({ kind: 'measure', code: c }));
  const listQ = (d.questions || []).map(c => ({ kind: 'question', code: c }));
  const ul = h('ul.links');
  for (const l of [...listM, ...listQ]) {
    ul.append(h('li', chip(l.code, l.kind, d.year), write ? h('button.link', { type: 'button', 'aria-label': `${t('remove')} ${l.code}`,
      on: { click: () => changeLink('DELETE', d.id, l.code, msg) } }, t('remove')) : null));
  }
  box.append(ul.children.length ? ul : h('p.muted', t('none')));
  if (!write) return box;
  const input = h('input#link-code', { name: 'code', placeholder: '1.2 i19', size: 12 });
  box.append(h('form.inline', { on: { submit: (e) => { e.preventDefault(); for (const c of codes(input.value)) changeLink('POST', d.id, c, msg); } } },
    field(t('linkCode'), input), h('button#link-add', { type: 'submit' }, t('addLink'))));
  try {
    const s = await get(`/api/documents/${d.id}/suggestions`);
    if (stale()) return box;
    const items = (s.suggestions || []).filter(x => !x.linked).slice(0, 5);
    if (items.length) box.append(h('h3', t('suggestions')), h('ul.suggest', items.map(x => h('li',
      h('button', { type: 'button', on: { click: () => changeLink('POST', d.id, x.code, msg) } }, `${t('addLink')} ${num(x.code)}`), ' ', x.text))));
  } catch (err) {
    box.append(errorBox(err));
  }
  return box;
}

async function changeLink(method, id, code, msg) {
  try {
    await (method === 'POST' ? post : del)(`/api/documents/${id}/links`, linkBody(code));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (err) {
    clear(msg, errorBox(err));
  }
}

function editSection(d, msg) {
  const title = h('input#e-title', { name: 'title', value: d.title || '' });
  const desc = h('textarea#e-desc', { name: 'description', rows: 3 });
  desc.value = d.description || '';
  const year = h('input#e-year', { name: 'year', value: d.year || '', inputmode: 'numeric', size: 6, pattern: '[0-9๐-๙]{4}' });
  return h('details.card', h('summary', t('edit')), h('form', { on: { submit: async (e) => {
    e.preventDefault();
    const body = { title: title.value, description: desc.value };
    if (year.value.trim()) body.year = parseInt(year.value.replace(/[๐-๙]/g, c => '๐๑๒๓๔๕๖๗๘๙'.indexOf(c)), 10);
    try { await patch(`/api/documents/${d.id}`, body); window.dispatchEvent(new HashChangeEvent('hashchange')); } catch (err) { clear(msg, errorBox(err)); }
  } } }, field(t('title'), title), field(t('description'), desc), field(t('year'), year), h('button.primary', { type: 'submit' }, t('save'))));
}

function withdrawSection(d, msg) {
  const reason = h('input#w-reason', { name: 'reason', required: true });
  return h('details.card.danger', h('summary', t('withdraw')), h('form', { on: { submit: async (e) => {
    e.preventDefault();
    try { await del(`/api/documents/${d.id}`, { reason: reason.value }); window.dispatchEvent(new HashChangeEvent('hashchange')); } catch (err) { clear(msg, errorBox(err)); }
  } } }, field(t('reason'), reason), h('button.danger', { type: 'submit' }, t('confirmWithdraw'))));
}
