// views/export.js: pick a year and download its bundle, showing how many
// bytes have arrived as it streams (archivist, admin).
import { h, clear } from '../dom.js';
import { t, bytes } from '../i18n.js';
import { request, qs } from '../api.js';
import { years, yearSelect, field, errorBox } from '../ui.js';

export async function render(main) {
  const ys = await years();
  const year = yearSelect('x-year', ys, ys[0], false);
  const status = h('div#export-status', { role: 'status', 'aria-live': 'polite' });
  const go = h('button.primary#export-go', { type: 'submit' }, t('exportGo'));
  clear(main, h('h1', t('exportTitle')), h('p.muted', t('exportHelp')), h('form', { on: { submit: async (e) => {
    e.preventDefault();
    go.disabled = true;
    clear(status, t('received', bytes(0)));
    try {
      const res = await request('GET', '/api/export' + qs({ year: year.value }), undefined, { raw: true });
      const reader = res.body.getReader();
      const parts = [];
      let got = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value); got += value.length;
        status.textContent = t('received', bytes(got));
      }
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/zip' }));
      const a = h('a#export-file', { href: url, download: `ita-${year.value}.zip` }, `ita-${year.value}.zip`);
      clear(status, h('span.msg.ok', `${t('done')}: ${t('received', bytes(got))} `), a);
      a.click();
    } catch (err) {
      clear(status, errorBox(err));
    }
    go.disabled = false;
  } } }, field(t('year'), year), go), status);
}
