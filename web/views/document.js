// views/document.js: one document — metadata, the file inline when the
// browser can show it safely (a PDF in an iframe the server allows only for
// ?inline=1 of a PDF or image, sandboxed; images as <img>; anything else a
// download), the extracted text, its links with their review state (an
// assessor accepts or rejects each, with a comment), add/remove for staff,
// edit, withdraw, and its audit history (who saw and changed it, newest first).
import { h, clear } from '../dom.js';
import { t, num, date, bytes } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { can, chip, typeBadge, errorBox, loading, field, codes } from '../ui.js';

const IMG = /^image\/(png|jpeg|gif|webp)$/;
const PDF = 'application/pdf';

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

// Re-render the current route (after a change).
const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

function preview(d) {
  const src = `/api/documents/${d.id}/file?inline=1`;
  const name = d.title || d.filename;
  if (d.mime === PDF) return h('iframe#doc-preview', { src, title: `${t('preview')}: ${name}`, loading: 'lazy' });
  if (IMG.test(d.mime)) return h('img#doc-preview', { src, alt: name });
  return h('p.muted', t('noPreview'));
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
  clear(main, h('h1', typeBadge(d.mime), ' ', h('span#doc-title', d.title || d.filename)), msg,
    d.withdrawn_at ? h('div.msg.error#doc-withdrawn', `${t('withdrawn')} ${date(d.withdrawn_at)}: ${d.withdrawn_reason || ''}`) : null,
    h('div.cols', h('section', meta,
      h('p', h('a.button#doc-download', { href: `/api/documents/${id}/file`, download: d.filename }, t('download')), ' ',
        d.mime === PDF ? h('a.button', { href: `/api/documents/${id}/file?inline=1`, target: '_blank', rel: 'noopener' }, t('openPdf')) : null)),
    h('section.preview', h('h2', t('preview')), preview(d))));
  main.append(await linksSection(d, write, msg, stale));
  if (stale()) return;
  if (write) main.append(editSection(d, msg), withdrawSection(d, msg));
  const textBox = h('section#doc-text', h('h2', t('text')));
  const historyBox = h('section#history', h('h2', t('history')));
  main.append(textBox, historyBox);
  try {
    const res = await get(`/api/documents/${id}/text`, { raw: true });
    const txt = await res.text();
    textBox.append(h('pre.text', txt.length > 200000 ? txt.slice(0, 200000) + '\n…' : txt));
  } catch (err) {
    textBox.append(h('p.muted', textStatus(d)));
  }
  if (stale()) return;
  await history(historyBox, id);
}

// The state of a link as a badge: linked (waiting for review), accepted, rejected.
function stateBadge(state) {
  const cls = state === 'accepted' ? 'badge ok' : state === 'rejected' ? 'badge no' : 'badge wait';
  return h('span', { class: cls + ' state', 'data-state': state }, t('state_' + state));
}

async function linksSection(d, write, msg, stale) {
  const box = h('section#links', h('h2', t('links')));
  let links;
  try {
    links = (await get(`/api/documents/${d.id}/links`)).links || [];
  } catch (err) {
    box.append(errorBox(err));
    return box;
  }
  if (stale()) return box;
  const ul = h('ul.links');
  for (const l of links) {
    const kind = l.measure ? 'measure' : 'question';
    const code = l.measure || l.question;
    const target = { [kind]: code, year: l.year };
    const comment = h('input', { name: 'comment', 'aria-label': `${t('comment')} ${code}`, placeholder: t('comment'), size: 24, class: 'rv-comment' });
    const review = (state) => async () => {
      try {
        await patch(`/api/documents/${d.id}/links`, { ...target, state, comment: comment.value });
        reload();
      } catch (err) { clear(msg, errorBox(err)); }
    };
    ul.append(h('li.link', { 'data-code': code },
      h('div.lhead', chip(code, kind, l.year), ' ', stateBadge(l.state),
        h('span.muted.small', `${t('linkedBy')} ${l.linked_by || ''} ${date(l.linked_at)}`),
        write ? h('button.link', { type: 'button', 'aria-label': `${t('remove')} ${code}`,
          on: { click: () => changeLink('DELETE', d.id, code, msg) } }, t('remove')) : null),
      l.reviewed_by ? h('div.review', `${t('reviewedBy')} ${l.reviewed_by}`, l.comment ? h('q.rv-text', l.comment) : null) : null,
      d.withdrawn_at ? null : h('form.inline.rv', { on: { submit: (e) => e.preventDefault() } }, comment,
        h('button.rv-accept', { type: 'button', on: { click: review('accepted') } }, t('accept')),
        h('button.rv-reject', { type: 'button', on: { click: review('rejected') } }, t('reject')))));
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
    reload();
  } catch (err) {
    clear(msg, errorBox(err));
  }
}

function editSection(d, msg) {
  const title = h('input#e-title', { name: 'title', value: d.title || '', required: true });
  const desc = h('textarea#e-desc', { name: 'description', rows: 3 });
  desc.value = d.description || '';
  const year = h('input#e-year', { name: 'year', value: d.year || '', inputmode: 'numeric', size: 6, pattern: '[0-9๐-๙]{4}' });
  return h('details.card#edit', h('summary', t('edit')), h('form', { on: { submit: async (e) => {
    e.preventDefault();
    const body = { title: title.value, description: desc.value };
    body.year = year.value.trim() ? parseInt(year.value.replace(/[๐-๙]/g, c => '๐๑๒๓๔๕๖๗๘๙'.indexOf(c)), 10) : null;
    try { await patch(`/api/documents/${d.id}`, body); reload(); } catch (err) { clear(msg, errorBox(err)); }
  } } }, field(t('title'), title), field(t('description'), desc), field(t('year'), year), h('button.primary#e-save', { type: 'submit' }, t('save'))));
}

function withdrawSection(d, msg) {
  const reason = h('input#w-reason', { name: 'reason', required: true });
  return h('details.card.danger#withdraw', h('summary', t('withdraw')), h('form', { on: { submit: async (e) => {
    e.preventDefault();
    try { await del(`/api/documents/${d.id}`, { reason: reason.value }); reload(); } catch (err) { clear(msg, errorBox(err)); }
  } } }, field(t('reason'), reason), h('button.danger#w-go', { type: 'submit' }, t('confirmWithdraw'))));
}

// One audit record's detail in a line: the fields people care about.
function detailText(r) {
  const d = r.detail || {};
  const parts = [];
  if (d.measure || d.question) parts.push(num(d.measure || d.question));
  if (d.state) parts.push(t('state_' + d.state));
  if (d.comment) parts.push(`“${d.comment}”`);
  if (d.reason) parts.push(`${t('reason')}: ${d.reason}`);
  if (d.after && typeof d.after === 'object')
    for (const [k, v] of Object.entries(d.after)) parts.push(`${t(k)}: ${(d.before || {})[k] || t('none')} → ${v || t('none')}`);
  return parts.join(' · ');
}

async function history(box, id) {
  let res;
  try {
    res = await get(`/api/documents/${id}/audit`);
  } catch (err) {
    box.append(errorBox(err));
    return;
  }
  const rows = readsFolded(res.records || []);
  if (!rows.length) { box.append(h('p.muted', t('none'))); return; }
  const act = (a) => t('act_' + a) === 'act_' + a ? a : t('act_' + a);
  box.append(h('div.scroll', h('table.history', h('thead', h('tr', [t('when'), t('who'), t('action'), t('detail')].map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', rows.map(r => h('tr', { 'data-action': r.action, class: r.reads ? 'reads' : null },
      h('td', date(r.at, true)), h('td', r.actor),
      h('td', r.reads ? Object.entries(r.reads).map(([a, n]) => act(a) + (n > 1 ? ' ×' + num(n) : '')).join(', ') : act(r.action)),
      h('td', detailText(r))))))));
}

// Views and downloads in a row by one person within the same minute become
// one line ("เปิดดู ×2, ดาวน์โหลด"): every page load records a few, and the
// changes must not drown in them. Nothing is dropped, only counted.
function readsFolded(records) {
  const out = [];
  for (const r of records) {
    const read = r.action === 'view' || r.action === 'download';
    const last = out[out.length - 1];
    if (read && last && last.reads && last.actor === r.actor && String(last.at).slice(0, 16) === String(r.at).slice(0, 16)) {
      last.reads[r.action] = (last.reads[r.action] || 0) + 1;
      continue;
    }
    out.push(read ? { ...r, reads: { [r.action]: 1 } } : r);
  }
  return out;
}
