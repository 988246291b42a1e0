// Browser tests of the lakthan web UI: playwright-core drives Debian's
// chromium (headless) against a real `lakthan serve` started by
// tests/integration/test_browser.sh, which passes LAKTHAN_URL, the users'
// passwords (password-<name>) and a folder for files (LAKTHAN_FILES).
// Prints TAP lines; screenshots go to tests/browser/out/.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const URL = process.env.LAKTHAN_URL;
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT, { recursive: true });
let n = parseInt(process.env.TAP_START || '0', 10), failed = 0;  // TAP numbers go on from the shell's
const ok = (d) => console.log(`ok ${++n} - ${d}`);
const skip = (d, why) => console.log(`ok ${++n} - ${d} # SKIP ${why}`);
const notok = (d, why) => { failed++; console.log(`not ok ${++n} - ${d}`); for (const l of String(why).split('\n').slice(0, 8)) console.log(`#   ${l}`); };

// test(desc, fn): fn returns nothing (pass), a string starting "SKIP " or throws.
async function test(desc, fn) {
  try {
    const r = await fn();
    if (typeof r === 'string' && r.startsWith('SKIP ')) skip(desc, r.slice(5)); else ok(desc);
  } catch (e) {
    notok(desc, e && e.stack ? e.stack : e);
  }
}
function assert(c, msg) { if (!c) throw new Error(msg); }

// playwright gives every launch a fresh, temporary user-data-dir
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const cspErrors = [];

async function newPage(width = 1280, height = 900) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'th-TH', acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text()); });
  page.on('pageerror', (e) => cspErrors.push('page error: ' + e.message));
  return page;
}

async function signIn(page, user) {
  await page.goto(URL + '/');
  await page.fill('#login-user', user);
  await page.fill('#login-pass', 'password-' + user);
  await page.click('#login-go');
  await page.waitForSelector('#who');
}

// Whether the view shows the "not on this server yet" message (a missing endpoint).
const missing = (page) => page.locator('[data-missing]').count();
const shot = (page, name) => page.screenshot({ path: join(OUT, name + '.png'), fullPage: true });

const files = mkdtempSync(join(tmpdir(), 'lakthan-files-'));
const f1 = join(files, 'รายงานผลการป้องกันการทุจริต ๒๕๖๗.txt');
const f2 = join(files, 'คู่มือการปฏิบัติงาน ฉบับปรับปรุง.txt');
writeFileSync(f1, 'รายงานผลการดำเนินงานตามแผนป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ของเทศบาล\n'.repeat(200));
writeFileSync(f2, 'คู่มือการปฏิบัติงานด้านการให้บริการประชาชน ลดขั้นตอนการปฏิบัติงาน\n'.repeat(50));

const staff = await newPage();
await test('the sign-in page renders in Thai', async () => {
  await staff.goto(URL + '/');
  await staff.waitForSelector('#login-go');
  assert((await staff.textContent('#login-go')).includes('เข้าสู่ระบบ'), 'no Thai sign-in button');
  await shot(staff, '01-sign-in');
});
await test('a wrong password is refused with a message', async () => {
  await staff.fill('#login-user', 'staff1');
  await staff.fill('#login-pass', 'wrong-password');
  await staff.click('#login-go');
  await staff.waitForSelector('#login-msg .msg.error');
});
await test('staff signs in; name and role are shown', async () => {
  await signIn(staff, 'staff1');
  assert((await staff.textContent('#who')) === 'staff1', 'user name');
  assert((await staff.textContent('#who-role')) === 'เจ้าหน้าที่', 'role');
});

await test('upload two files with Thai names: progress, then added', async () => {
  await staff.goto(URL + '/#/upload');
  await staff.waitForSelector('#u-go');
  await staff.fill('#u-measures', '1.3');
  await staff.setInputFiles('#u-files', [f1, f2]);
  await staff.click('#u-go');
  await staff.waitForSelector('li.upload progress');
  await staff.waitForFunction(() => document.querySelectorAll('li.upload[data-text]').length === 2, null, { timeout: 30000 });
  const items = await staff.$$eval('li.upload', (ls) => ls.map((l) => ({ name: l.querySelector('.fname').textContent, cls: l.className,
    state: l.querySelector('.state').textContent, text: l.dataset.text, value: l.querySelector('progress').value, max: l.querySelector('progress').max })));
  assert(items.length === 2, 'two rows');
  assert(items[0].name.includes('ทุจริต') && items[1].name.includes('คู่มือ'), 'Thai names: ' + JSON.stringify(items));
  for (const it of items) {
    assert(it.cls.includes('added') && it.state === 'เพิ่มแล้ว', 'added: ' + JSON.stringify(it));
    assert(it.value === it.max && it.max > 0, 'progress complete');
    assert(it.text === 'ok', 'text extracted: ' + it.text);
  }
  await shot(staff, '02-upload');
});
await test('uploading the same file again says duplicate, with a link', async () => {
  await staff.goto(URL + '/#/search');
  await staff.goto(URL + '/#/upload');
  await staff.waitForSelector('#u-go');
  await staff.setInputFiles('#u-files', [f1]);
  await staff.click('#u-go');
  await staff.waitForSelector('li.upload.duplicate a[href^="#/documents/"]', { timeout: 20000 });
});

await test('search a Thai word: count, highlighted snippet, state in the URL', async () => {
  await staff.goto(URL + '/#/search');
  await staff.fill('#q', 'ทุจริต');
  await staff.click('#search-go');
  await staff.waitForSelector('#result-count');
  assert(decodeURIComponent(staff.url()).includes('q=ทุจริต'), 'URL: ' + staff.url());
  const marks = await staff.$$eval('.result .snippet mark', (ms) => ms.map((m) => m.textContent));
  assert(marks.length > 0 && marks.some((m) => m.includes('ทุจริต')), 'marks: ' + JSON.stringify(marks));
  const count = await staff.textContent('#result-count');
  assert(/^พบ [0-9]+ เอกสาร$/.test(count), 'count: ' + count);
  await shot(staff, '03-search');
  // the bookmarked URL gives the same results in a fresh load
  await staff.reload();
  await staff.waitForSelector('.result .snippet mark');
});
await test('a result opens the document page with its metadata and text', async () => {
  await staff.click('.result .rtitle');
  await staff.waitForSelector('#doc-text pre.text');
  assert((await staff.textContent('dl.meta')).includes('staff1'), 'uploader shown');
  await shot(staff, '04-document');
});

await test('question i19 shows the plan rows and its evidence', async () => {
  await staff.goto(URL + '/#/questions/i19?year=2567');
  await staff.waitForSelector('#evidence');
  await staff.waitForFunction(() => !document.querySelector('#main p.muted[role=status]'));
  await shot(staff, '05-question-i19');
  if (await missing(staff)) return 'SKIP GET /api/questions/{code} or /api/plan not on this server yet; the page says so';
  assert(await staff.locator('#plan-rows .card').count() > 0, 'plan rows');
  assert(await staff.locator('#evidence .doclist a[href^="#/documents/"]').count() > 0, 'evidence documents');
});
await test('the questions list is grouped IIT, EIT, OIT', async () => {
  await staff.goto(URL + '/#/questions?year=2567');
  await staff.waitForSelector('#main h1');
  await staff.waitForFunction(() => !document.querySelector('#main p.muted[role=status]'));
  if (await missing(staff)) return 'SKIP GET /api/questions not on this server yet; the page says so';
  const groups = await staff.$$eval('section.group h2', (hs) => hs.map((x) => x.textContent.slice(0, 3)));
  assert(JSON.stringify(groups) === '["IIT","EIT","OIT"]', 'groups ' + groups);
});
await test('coverage shows an unbacked measure first (✗) and a backed one (✓)', async () => {
  await staff.goto(URL + '/#/coverage?year=2567');
  await staff.waitForSelector('#main h1');
  await staff.waitForFunction(() => !document.querySelector('#main p.muted[role=status]'));
  await shot(staff, '06-coverage');
  if (await missing(staff)) return 'SKIP GET /api/coverage not on this server yet; the page says so';
  assert(await staff.locator('#gaps li.m.unbacked').count() > 0, 'gaps listed');
  assert(await staff.locator('section.issue li.m.backed').count() > 0, 'a backed measure');
  assert((await staff.textContent('#gaps li.m .mark')) === '✗', 'cross');
  const colour = await staff.$eval('#gaps li.m.unbacked .mark', (e) => getComputedStyle(e).color);
  assert(colour === 'rgb(179, 38, 30)', 'unbacked colour ' + colour);
});
await test('Thai/English switch', async () => {
  await staff.goto(URL + '/#/search');
  await staff.waitForSelector('#nav-search');
  assert((await staff.textContent('#nav-search')) === 'ค้นหา', 'Thai first');
  await staff.selectOption('#set-lang', 'en');
  await staff.waitForFunction(() => document.querySelector('#nav-search')?.textContent === 'Search');
  assert((await staff.getAttribute('html', 'lang')) === 'en', 'lang=en');
  await staff.selectOption('#set-lang', 'th');
  await staff.waitForFunction(() => document.querySelector('#nav-search')?.textContent === 'ค้นหา');
});
await test('Thai digits setting shows the year as ๒๕๖๗', async () => {
  await staff.goto(URL + '/#/search?q=ทุจริต');
  await staff.waitForSelector('#set-digits');
  await staff.selectOption('#set-digits', 'thai');
  await staff.waitForSelector('.result .year');
  assert((await staff.textContent('.result .year')) === '๒๕๖๗', 'year ' + await staff.textContent('.result .year'));
  await staff.selectOption('#set-digits', 'arabic');
});
await test('a staff user has no users screen', async () => {
  assert(await staff.locator('#nav-users').count() === 0, 'nav has users');
  await staff.goto(URL + '/#/users');
  await staff.waitForSelector('#main .msg.error');
});

const phone = await newPage(390, 844);
await test('readable on a phone: no horizontal scrolling', async () => {
  await signIn(phone, 'staff1');
  await phone.goto(URL + '/#/search?q=ทุจริต');
  await phone.waitForSelector('.result');
  const w = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= 390, 'page is ' + w + ' px wide');
  await shot(phone, '07-phone-search');
  await phone.goto(URL + '/#/coverage?year=2567');
  await phone.waitForSelector('#main h1');
  await phone.waitForFunction(() => !document.querySelector('#main p.muted[role=status]'));
  await shot(phone, '08-phone-coverage');
});

const assessor = await newPage();
await test('an assessor sees no upload button and gets 403 when trying', async () => {
  await signIn(assessor, 'assess1');
  assert(await assessor.locator('#nav-upload').count() === 0, 'upload in the nav');
  await assessor.goto(URL + '/#/upload');
  await assessor.waitForSelector('#main .msg.error');
  const st = await assessor.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const fd = new FormData();
    fd.append('file', new Blob(['x']), 'x.txt');
    return (await fetch('/api/documents', { method: 'POST', body: fd, headers: { 'X-CSRF-Token': s.csrf } })).status;
  });
  assert(st === 403, 'status ' + st);
});
await test('a change without X-CSRF-Token is refused', async () => {
  const st = await assessor.evaluate(async () => (await fetch('/api/session', { method: 'DELETE' })).status);
  assert(st === 403, 'status ' + st);
});

const archivist = await newPage();
await test('an archivist exports the year, the size shown as it streams', async () => {
  await signIn(archivist, 'arch1');
  await archivist.goto(URL + '/#/export');
  await archivist.waitForSelector('#export-go');
  const dl = archivist.waitForEvent('download', { timeout: 60000 }).catch(() => null);
  await archivist.click('#export-go');
  await archivist.waitForSelector('#export-file, #export-status .msg', { timeout: 60000 });
  await shot(archivist, '09-export');
  if (await missing(archivist)) return 'SKIP GET /api/export not on this server yet; the page says so';
  assert(await archivist.locator('#export-file').count() === 1, await archivist.textContent('#export-status'));
  const d = await dl;
  assert(d && d.suggestedFilename() === 'ita-2567.zip', 'download');
});

// ---- the document page: inline PDF, review, history, edit, withdraw ----
const FIX = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
// Upload one file through the API with the page's session (cookie + CSRF).
async function apiUpload(page, path, name, fields = {}) {
  const s = await (await page.request.get(URL + '/api/session')).json();
  const r = await page.request.post(URL + '/api/documents', { headers: { 'X-CSRF-Token': s.csrf },
    multipart: { ...fields, file: { name, mimeType: 'application/octet-stream', buffer: readFileSync(path) } } });
  assert(r.status() === 201, 'upload ' + name + ': ' + r.status() + ' ' + await r.text());
  return (await r.json()).documents[0];
}
const pdf = await apiUpload(staff, join(FIX, 'thai.pdf'), 'ประกาศ ITA ๒๕๖๗.pdf', { year: '2567', measure: '4.1' });
const html = await apiUpload(staff, join(FIX, 'thai.html'), 'หน้าเว็บ.html', { year: '2567' });

// Give Chromium's PDF viewer (an extension frame inside the iframe) up to
// 5 s to appear and paint, so the screenshot shows the page, not a grey box.
async function pdfShown(page) {
  for (let i = 0; i < 50 && !page.frames().some((f) => f.url().startsWith('chrome-extension:')); i++) await page.waitForTimeout(100);
  await page.waitForTimeout(700);
}
await test('a PDF is shown inline: the iframe loads it (200, application/pdf, framable by this origin only, sandboxed)', async () => {
  const resp = staff.waitForResponse((r) => r.url().endsWith(`/api/documents/${pdf.id}/file?inline=1`));
  await staff.goto(URL + `/#/documents/${pdf.id}`);
  const r = await resp;
  const hd = await r.allHeaders();   // as sent: headers() shows what the PDF viewer kept
  assert(r.status() === 200, 'status ' + r.status());
  assert(hd['content-type'] === 'application/pdf', 'type ' + hd['content-type']);
  assert(hd['x-frame-options'] === 'SAMEORIGIN', 'x-frame-options ' + hd['x-frame-options']);
  assert(/frame-ancestors 'self'/.test(hd['content-security-policy']) && /\bsandbox\b/.test(hd['content-security-policy']),
    'csp ' + hd['content-security-policy']);
  assert(await staff.locator('iframe#doc-preview').count() === 1, 'no iframe');
  assert(staff.frames().some((f) => f.url().endsWith(`/api/documents/${pdf.id}/file?inline=1`)), 'the iframe did not load the PDF');
  // the page itself may frame only its own origin, and embeds no objects
  const page = (await staff.request.get(URL + '/')).headers()['content-security-policy'];
  assert(/frame-src 'self'/.test(page) && /object-src 'none'/.test(page) && /frame-ancestors 'none'/.test(page), 'page csp ' + page);
  // without ?inline=1 the file stays unframable
  const plain = (await staff.request.get(URL + `/api/documents/${pdf.id}/file`)).headers();
  assert(plain['x-frame-options'] === 'DENY' && /frame-ancestors 'none'/.test(plain['content-security-policy']), 'plain download framable');
  await staff.waitForSelector('#history tbody tr');
  await pdfShown(staff);
  await shot(staff, '10-document-pdf');
});
await test('an uploaded HTML file is never framed: ?inline=1 is still an attachment with frame-ancestors none', async () => {
  const r = await staff.request.get(URL + `/api/documents/${html.id}/file?inline=1`);
  const hd = r.headers();
  assert(r.status() === 200, 'status ' + r.status());
  assert(/^attachment;/.test(hd['content-disposition']), 'disposition ' + hd['content-disposition']);
  assert(hd['content-type'] === 'application/octet-stream', 'type ' + hd['content-type']);
  assert(hd['x-frame-options'] === 'DENY', 'x-frame-options ' + hd['x-frame-options']);
  assert(/frame-ancestors 'none'/.test(hd['content-security-policy']), 'csp ' + hd['content-security-policy']);
  await staff.goto(URL + `/#/documents/${html.id}`);
  await staff.waitForSelector('#history');
  assert(await staff.locator('iframe').count() === 0, 'an iframe on the HTML document page');
  assert(await staff.locator('.preview p.muted').count() === 1, 'no "no preview" note');
});
await test('staff edits title, description and year; the history shows the edit', async () => {
  await staff.goto(URL + `/#/documents/${pdf.id}`);
  await staff.waitForSelector('#edit summary');
  await staff.click('#edit summary');
  await staff.fill('#e-title', 'ประกาศเจตจำนงสุจริต (แก้ไข)');
  await staff.fill('#e-desc', 'ฉบับลงนามแล้ว');
  await staff.fill('#e-year', '๒๕๖๗');
  await staff.click('#e-save');
  await staff.waitForFunction(() => document.querySelector('#doc-title')?.textContent === 'ประกาศเจตจำนงสุจริต (แก้ไข)');
  await staff.waitForSelector('#history tr[data-action="edit"]');
  assert((await staff.textContent('#history tr[data-action="edit"]')).includes('ฉบับลงนามแล้ว'), 'edit detail');
});
await test('an assessor accepts a link with a comment; its state and the review show, and the history has it', async () => {
  await assessor.goto(URL + `/#/documents/${pdf.id}`);
  await assessor.waitForSelector('li.link[data-code="4.1"] .rv-accept');
  assert(await assessor.locator('#edit, #withdraw, #link-add').count() === 0, 'assessor sees staff controls');
  assert((await assessor.textContent('li.link[data-code="4.1"] .state')) === 'รอตรวจ', 'state before');
  await assessor.fill('li.link[data-code="4.1"] .rv-comment', 'ตรงตามมาตรการ ลงนามครบ');
  await assessor.click('li.link[data-code="4.1"] .rv-accept');
  await assessor.waitForSelector('li.link[data-code="4.1"] .state[data-state="accepted"]');
  assert((await assessor.textContent('li.link[data-code="4.1"] .review')).includes('assess1'), 'reviewer');
  assert((await assessor.textContent('li.link[data-code="4.1"] .rv-text')) === 'ตรงตามมาตรการ ลงนามครบ', 'comment');
  await assessor.waitForSelector('#history tr[data-action="link.review"]');
  await pdfShown(assessor);
  await shot(assessor, '11-document-review');
  await assessor.screenshot({ path: '/tmp/lakthan-document.png', fullPage: true });
  // then rejects it: the state follows
  await assessor.fill('li.link[data-code="4.1"] .rv-comment', 'ไม่ใช่ฉบับปีนี้');
  await assessor.click('li.link[data-code="4.1"] .rv-reject');
  await assessor.waitForSelector('li.link[data-code="4.1"] .state[data-state="rejected"]');
});
await test('GET /api/documents/{id}/audit: records of that document only, newest first; 404 for none', async () => {
  const r = await assessor.request.get(URL + `/api/documents/${pdf.id}/audit`);
  assert(r.status() === 200, 'status ' + r.status());
  const j = await r.json();
  const seqs = j.records.map((x) => x.seq);
  assert(j.document === pdf.id && seqs.length > 3, JSON.stringify(j).slice(0, 300));
  assert(seqs.every((v, i) => i === 0 || seqs[i - 1] > v), 'not newest first: ' + seqs);
  const acts = j.records.map((x) => x.action);
  for (const a of ['upload', 'link', 'edit', 'link.review', 'view', 'download']) assert(acts.includes(a), 'no ' + a + ' in ' + acts);
  const rv = j.records.find((x) => x.action === 'link.review');
  assert(rv.actor === 'assess1' && rv.detail.state === 'rejected' && rv.detail.comment === 'ไม่ใช่ฉบับปีนี้', JSON.stringify(rv));
  assert((await assessor.request.get(URL + '/api/documents/999999/audit')).status() === 404, 'missing document');
});
await test('staff withdraws a document with a reason; the page and history say so', async () => {
  await staff.goto(URL + `/#/documents/${html.id}`);
  await staff.waitForSelector('#withdraw summary');
  await staff.click('#withdraw summary');
  await staff.fill('#w-reason', 'อัปโหลดผิดไฟล์');
  await staff.click('#w-go');
  await staff.waitForSelector('#doc-withdrawn');
  assert((await staff.textContent('#doc-withdrawn')).includes('อัปโหลดผิดไฟล์'), 'reason shown');
  assert(await staff.locator('#withdraw, #edit').count() === 0, 'a withdrawn document is still editable');
  await staff.waitForSelector('#history tr[data-action="withdraw"]');
});
await test('question i19 lists its documents with their type, and links to a saved search question:i19', async () => {
  await assessor.goto(URL + '/#/questions/i19?year=2567');
  await assessor.waitForSelector('#evidence .doclist li');
  const types = await assessor.$$eval('#evidence .doclist .type', (ts) => ts.map((x) => x.textContent));
  assert(types.includes('TXT') && !types.includes('FILE'), 'types ' + types);
  const q = await (await assessor.request.get(URL + '/api/questions/i19?year=2567')).json();
  assert(q.documents.every((d) => typeof d.mime === 'string' && d.mime), 'mime in the endpoint: ' + JSON.stringify(q.documents));
  await assessor.click('#search-this');
  await assessor.waitForSelector('#result-count');
  const url = decodeURIComponent(assessor.url());
  assert(url.includes('q=question:i19') && url.includes('year=2567'), 'URL ' + url);
  assert((await assessor.inputValue('#q')) === 'question:i19', 'query box');
  const n = await assessor.locator('.result').count();
  assert(n > 0, 'no results');
  // bookmarked: a fresh load of the same URL gives the same search
  await assessor.reload();
  await assessor.waitForSelector('.result');
  assert(await assessor.locator('.result').count() === n, 'different results after reload');
});

// ---- users (admin) ----
const admin = await newPage();
const csrfOf = async (page) => (await (await page.request.get(URL + '/api/session')).json()).csrf;
await test('admin lists users and adds one', async () => {
  await signIn(admin, 'admin');
  await admin.click('#nav-users');
  await admin.waitForSelector('table.users tr[data-user="staff1"]');
  for (const u of ['admin', 'staff1', 'assess1', 'arch1']) assert(await admin.locator(`tr[data-user="${u}"]`).count() === 1, 'missing ' + u);
  await admin.fill('#nu-name', 'somchai');
  await admin.fill('#nu-pass', 'password-somchai');
  await admin.selectOption('#nu-role', 'assessor');
  await admin.click('#nu-go');
  await admin.waitForSelector('tr[data-user="somchai"]');
  assert((await admin.inputValue('tr[data-user="somchai"] .u-role')) === 'assessor', 'role');
  assert((await admin.textContent('#users-msg')).includes('somchai'), 'message');
});
await test('admin changes a role; the account then has it', async () => {
  await admin.selectOption('tr[data-user="somchai"] .u-role', 'staff');
  await admin.waitForSelector('#users-msg .msg.ok');
  assert((await admin.inputValue('tr[data-user="somchai"] .u-role')) === 'staff', 'role after');
  const u = (await (await admin.request.get(URL + '/api/users')).json()).users.find((x) => x.name === 'somchai');
  assert(u.role === 'staff', JSON.stringify(u));
});
await test('admin resets a password; the user signs in with the new one only', async () => {
  await admin.fill('tr[data-user="somchai"] .u-pass', 'new-password-1');
  await admin.click('tr[data-user="somchai"] .u-pw-go');
  await admin.waitForFunction(() => /somchai/.test(document.querySelector('#users-msg .msg.ok')?.textContent || ''));
  const login = async (pw) => (await admin.request.fetch(URL + '/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    data: JSON.stringify({ username: 'somchai', password: pw }) })).status();
  const other = await newPage();
  await other.goto(URL + '/');
  await other.fill('#login-user', 'somchai');
  await other.fill('#login-pass', 'new-password-1');
  await other.click('#login-go');
  await other.waitForSelector('#who');
  assert((await other.textContent('#who-role')) === 'เจ้าหน้าที่', 'signed in as staff');
  await other.context().close();
  assert(await login('password-somchai') === 401, 'the old password still works');
});
await test('admin revokes tokens: the token stops working', async () => {
  const tk = await admin.request.post(URL + '/api/users/somchai/tokens', { headers: { 'X-CSRF-Token': await csrfOf(admin) } });
  assert(tk.status() === 201, 'token ' + tk.status());
  const token = (await tk.json()).token;
  const api = async () => (await admin.request.fetch(URL + '/api/years', { headers: { Authorization: 'Bearer ' + token } })).status();
  assert(await api() === 200, 'token does not work');
  await admin.reload();
  await admin.waitForSelector('tr[data-user="somchai"] .u-revoke');
  assert((await admin.textContent('tr[data-user="somchai"] .u-tokens')) === '1', 'token count');
  await admin.click('tr[data-user="somchai"] .u-revoke');
  await admin.waitForFunction(() => /somchai/.test(document.querySelector('#users-msg .msg.ok')?.textContent || ''));
  assert((await admin.textContent('#users-msg')).includes('1'), 'revoked count: ' + await admin.textContent('#users-msg'));
  assert(await api() === 401, 'the token still works');
  await shot(admin, '12-users');
  await admin.screenshot({ path: '/tmp/lakthan-users.png', fullPage: true });
});

await test('no Content-Security-Policy violation or script error', async () => {
  assert(cspErrors.length === 0, cspErrors.join('\n'));
});

await browser.close();
rmSync(files, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
