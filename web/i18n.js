// i18n.js: Thai first, English as a switch; Buddhist-Era dates; Thai or
// Arabic digits (a setting). Both settings live in localStorage.

const S = {
  th: {
    app: 'หลักฐาน', tagline: 'คลังหลักฐาน ITA', signin: 'เข้าสู่ระบบ', signout: 'ออกจากระบบ',
    username: 'ชื่อผู้ใช้', password: 'รหัสผ่าน', badLogin: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง',
    tooMany: 'ลองผิดหลายครั้งเกินไป โปรดรอสักครู่แล้วลองใหม่',
    search: 'ค้นหา', questions: 'ข้อคำถาม ITA', coverage: 'ความครอบคลุม', upload: 'อัปโหลด',
    export: 'ส่งออก', users: 'ผู้ใช้', language: 'ภาษา', digits: 'ตัวเลข', thaiDigits: 'เลขไทย', arabicDigits: 'เลขอารบิก',
    role_admin: 'ผู้ดูแลระบบ', role_staff: 'เจ้าหน้าที่', role_assessor: 'ผู้ประเมิน', role_archivist: 'ผู้เก็บรักษาเอกสาร',
    query: 'คำค้น', queryHint: 'เช่น ทุจริต, "แผนปฏิบัติการ", คู่มือ -ร่าง', year: 'ปีงบประมาณ', anyYear: 'ทุกปี',
    question: 'ข้อคำถาม', anyQuestion: 'ทุกข้อคำถาม', measure: 'มาตรการ', anyMeasure: 'ทุกมาตรการ',
    type: 'ชนิดไฟล์', anyType: 'ทุกชนิด', go: 'ค้นหา', results: (n) => `พบ ${n} เอกสาร`, noResults: 'ไม่พบเอกสารที่ตรงกับคำค้น',
    prev: 'ก่อนหน้า', next: 'ถัดไป', page: (a, b) => `หน้า ${a} จาก ${b}`, enterQuery: 'พิมพ์คำค้นหรือเลือกตัวกรอง แล้วกดค้นหา',
    notAvailable: (p) => `ส่วนนี้ยังไม่พร้อมใช้งานบนเซิร์ฟเวอร์นี้ (${p} ยังไม่มี)`,
    failed: 'เกิดข้อผิดพลาด', loading: 'กำลังโหลด…', forbidden: 'บทบาทของคุณไม่มีสิทธิ์ใช้ส่วนนี้',
    instrument_i: 'IIT — แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน', instrument_e: 'EIT — แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก',
    instrument_o: 'OIT — แบบตรวจการเปิดเผยข้อมูลสาธารณะ', evidence: (n) => `หลักฐาน ${n} รายการ`,
    planRows: 'แถวในแผนที่อ้างถึงข้อนี้', measures: 'มาตรการ', documents: 'เอกสารหลักฐาน', findings: 'ข้อบกพร่อง', planResults: 'ผลการดำเนินงาน',
    noEvidence: 'ยังไม่มีหลักฐาน', issue: 'ประเด็น', backed: 'มีหลักฐาน', unbacked: 'ยังไม่มีหลักฐาน',
    overall: 'ภาพรวม', measuresBacked: (a, b) => `มาตรการมีหลักฐาน ${a} จาก ${b}`, questionsBacked: (a, b) => `ข้อคำถามมีหลักฐาน ${a} จาก ${b}`,
    rule: 'เกณฑ์', ruleText: 'มาตรการถือว่ามีหลักฐานในปีงบประมาณนั้น เมื่อมีเอกสารของปีเดียวกันอย่างน้อยหนึ่งฉบับเชื่อมโยงอยู่และผู้ประเมินไม่ได้ปฏิเสธการเชื่อมโยงนั้น ข้อคำถามถือว่ามีหลักฐานเมื่อเอกสารดังกล่าวเชื่อมโยงกับข้อคำถามโดยตรง หรือกับมาตรการในแถวของแผนที่อ้างถึงข้อคำถามนั้น',
    gapsFirst: 'มาตรการที่ยังไม่มีหลักฐาน (แสดงก่อน)', allBacked: 'ทุกมาตรการมีหลักฐานแล้ว',
    title: 'ชื่อเรื่อง', filename: 'ชื่อไฟล์', mime: 'ชนิด', size: 'ขนาด', sha256: 'SHA-256', uploadedBy: 'ผู้อัปโหลด', uploadedAt: 'วันที่อัปโหลด',
    textStatus: 'สถานะข้อความ', description: 'คำอธิบาย', preview: 'ตัวอย่าง', download: 'ดาวน์โหลด', openPdf: 'เปิด PDF ในแท็บใหม่',
    noPreview: 'แสดงตัวอย่างในหน้านี้ไม่ได้ ดาวน์โหลดเพื่อเปิดดู', text: 'ข้อความที่ดึงได้', links: 'การเชื่อมโยง', addLink: 'เชื่อมโยง',
    remove: 'นำออก', suggestions: 'มาตรการที่แนะนำจากเนื้อหา', edit: 'แก้ไขข้อมูล', save: 'บันทึก', saved: 'บันทึกแล้ว',
    withdraw: 'ถอนเอกสาร', reason: 'เหตุผล', withdrawn: 'ถอนแล้ว', history: 'ประวัติ', linkCode: 'รหัสมาตรการหรือข้อคำถาม (เช่น 1.2 หรือ i19)',
    dropHere: 'ลากไฟล์มาวางที่นี่ หรือกดเพื่อเลือกไฟล์ (เลือกได้หลายไฟล์)', chooseFiles: 'เลือกไฟล์', start: 'เริ่มอัปโหลด',
    measuresField: 'มาตรการ (เช่น 1.2, 3.1)', questionsField: 'ข้อคำถาม (เช่น i19, o39)',
    st_waiting: 'รอคิว', st_sending: 'กำลังส่ง', st_added: 'เพิ่มแล้ว', st_duplicate: 'ซ้ำกับเอกสารเดิม', st_rejected: 'ไม่รับไฟล์',
    openExisting: 'เปิดเอกสารเดิม', ts_pending: 'กำลังดึงข้อความ…', ts_ok: 'ดึงข้อความแล้ว', ts_empty: 'ไม่มีข้อความ',
    ts_unreliable: 'ข้อความอ่านไม่ได้', ts_unsupported: 'ไม่รองรับการดึงข้อความ', ts_needs_ocr: 'ต้องใช้ OCR', ts_timeout: 'ดึงข้อความไม่ทันเวลา', ts_failed: 'ดึงข้อความไม่สำเร็จ',
    chars: (n) => `${n} ตัวอักษร`, linkedTo: 'เชื่อมโยงกับ', exportTitle: 'ส่งออกชุดเอกสารประจำปี', exportHelp: 'ไฟล์ ZIP แบบ BagIt ที่ตรวจสอบได้ด้วยเครื่องมือมาตรฐาน',
    exportGo: 'ดาวน์โหลดชุดเอกสาร', received: (s) => `รับแล้ว ${s}`, done: 'เสร็จแล้ว', usersTitle: 'ผู้ใช้งาน', addUser: 'เพิ่มผู้ใช้',
    role: 'บทบาท', changeRole: 'เปลี่ยนบทบาท', resetPassword: 'ตั้งรหัสผ่านใหม่', revokeTokens: 'เพิกถอนโทเค็น', newPassword: 'รหัสผ่านใหม่',
    planTitle: 'แผน', back: 'กลับ', none: '—', signedInAs: 'ผู้ใช้', notFound: 'ไม่พบหน้านี้', confirmWithdraw: 'ยืนยันการถอนเอกสาร',
    linksAdded: 'เชื่อมโยงแล้ว', accept: 'ยอมรับ', reject: 'ปฏิเสธ', all: 'ทั้งหมด',
    comment: 'ความเห็น', linkedBy: 'เชื่อมโยงโดย', reviewedBy: 'ตรวจโดย', state_linked: 'รอตรวจ', state_accepted: 'ยอมรับแล้ว',
    state_rejected: 'ปฏิเสธแล้ว', when: 'เมื่อ', who: 'ผู้ใช้', action: 'การกระทำ', detail: 'รายละเอียด',
    act_upload: 'อัปโหลด', act_view: 'เปิดดู', act_download: 'ดาวน์โหลด', act_edit: 'แก้ไขข้อมูล', act_withdraw: 'ถอนเอกสาร',
    act_link: 'เชื่อมโยง', act_unlink: 'นำการเชื่อมโยงออก', 'act_link.review': 'ตรวจการเชื่อมโยง',
    searchThis: 'ค้นหาหลักฐานของข้อคำถามนี้', searchThisHint: 'บันทึกที่คั่นหน้าไว้เพื่อกลับมาค้นซ้ำได้',
    disabled: 'ปิดใช้งาน', tokens: 'โทเค็น', created: 'สร้างเมื่อ', passwordSet: (n) => `ตั้งรหัสผ่านใหม่ของ ${n} แล้ว`,
    tokensRevoked: (n, c) => `เพิกถอนโทเค็นของ ${n} แล้ว ${c} รายการ`, roleChanged: (n) => `เปลี่ยนบทบาทของ ${n} แล้ว`,
    userAdded: (n) => `เพิ่มผู้ใช้ ${n} แล้ว`,
  },
  en: {
    app: 'Lakthan', tagline: 'ITA evidence archive', signin: 'Sign in', signout: 'Sign out',
    username: 'User name', password: 'Password', badLogin: 'Wrong user name or password',
    tooMany: 'Too many failed attempts; wait a few minutes and try again',
    search: 'Search', questions: 'ITA questions', coverage: 'Coverage', upload: 'Upload',
    export: 'Export', users: 'Users', language: 'Language', digits: 'Digits', thaiDigits: 'Thai digits', arabicDigits: 'Arabic digits',
    role_admin: 'Administrator', role_staff: 'Staff', role_assessor: 'Assessor', role_archivist: 'Archivist',
    query: 'Query', queryHint: 'e.g. ทุจริต, "แผนปฏิบัติการ", คู่มือ -ร่าง', year: 'Fiscal year', anyYear: 'All years',
    question: 'Question', anyQuestion: 'All questions', measure: 'Measure', anyMeasure: 'All measures',
    type: 'File type', anyType: 'All types', go: 'Search', results: (n) => `${n} document${n == 1 ? '' : 's'} found`, noResults: 'No document matches',
    prev: 'Previous', next: 'Next', page: (a, b) => `Page ${a} of ${b}`, enterQuery: 'Type a query or choose a filter, then search',
    notAvailable: (p) => `Not available on this server yet (${p} is missing)`,
    failed: 'Something went wrong', loading: 'Loading…', forbidden: 'Your role may not use this page',
    instrument_i: 'IIT — internal stakeholders', instrument_e: 'EIT — external stakeholders',
    instrument_o: 'OIT — open data', evidence: (n) => `${n} evidence item${n == 1 ? '' : 's'}`,
    planRows: 'Plan rows citing this question', measures: 'Measures', documents: 'Evidence documents', findings: 'Findings', planResults: 'Results',
    noEvidence: 'No evidence yet', issue: 'Issue', backed: 'Backed', unbacked: 'No evidence',
    overall: 'Overall', measuresBacked: (a, b) => `${a} of ${b} measures backed`, questionsBacked: (a, b) => `${a} of ${b} questions backed`,
    rule: 'Rule', ruleText: 'A measure is backed in year Y when at least one document of year Y is linked to it and no assessor rejected that link; a question is backed when such a document is linked to it or to a measure whose plan row cites it.',
    gapsFirst: 'Measures without evidence (listed first)', allBacked: 'Every measure is backed',
    title: 'Title', filename: 'File name', mime: 'Type', size: 'Size', sha256: 'SHA-256', uploadedBy: 'Uploaded by', uploadedAt: 'Uploaded',
    textStatus: 'Text', description: 'Description', preview: 'Preview', download: 'Download', openPdf: 'Open the PDF in a new tab',
    noPreview: 'No preview for this type; download it to open', text: 'Extracted text', links: 'Links', addLink: 'Link',
    remove: 'Remove', suggestions: 'Suggested measures', edit: 'Edit', save: 'Save', saved: 'Saved',
    withdraw: 'Withdraw', reason: 'Reason', withdrawn: 'Withdrawn', history: 'History', linkCode: 'Measure or question code (e.g. 1.2 or i19)',
    dropHere: 'Drop files here, or click to choose (many at once)', chooseFiles: 'Choose files', start: 'Upload',
    measuresField: 'Measures (e.g. 1.2, 3.1)', questionsField: 'Questions (e.g. i19, o39)',
    st_waiting: 'Waiting', st_sending: 'Sending', st_added: 'Added', st_duplicate: 'Duplicate of an existing document', st_rejected: 'Rejected',
    openExisting: 'Open the existing one', ts_pending: 'Extracting text…', ts_ok: 'Text extracted', ts_empty: 'No text',
    ts_unreliable: 'Text unreadable', ts_unsupported: 'Type not supported for text', ts_needs_ocr: 'Needs OCR', ts_timeout: 'Extraction timed out', ts_failed: 'Extraction failed',
    chars: (n) => `${n} characters`, linkedTo: 'Linked to', exportTitle: 'Export the yearly bundle', exportHelp: 'A BagIt ZIP anyone can verify with standard tools',
    exportGo: 'Download the bundle', received: (s) => `${s} received`, done: 'Done', usersTitle: 'Users', addUser: 'Add user',
    role: 'Role', changeRole: 'Change role', resetPassword: 'Reset password', revokeTokens: 'Revoke tokens', newPassword: 'New password',
    planTitle: 'Plan', back: 'Back', none: '—', signedInAs: 'User', notFound: 'No such page', confirmWithdraw: 'Confirm withdrawal',
    linksAdded: 'Linked', accept: 'Accept', reject: 'Reject', all: 'All',
    comment: 'Comment', linkedBy: 'linked by', reviewedBy: 'Reviewed by', state_linked: 'Awaiting review', state_accepted: 'Accepted',
    state_rejected: 'Rejected', when: 'When', who: 'Who', action: 'Action', detail: 'Detail',
    act_upload: 'Uploaded', act_view: 'Viewed', act_download: 'Downloaded', act_edit: 'Edited', act_withdraw: 'Withdrawn',
    act_link: 'Linked', act_unlink: 'Unlinked', 'act_link.review': 'Link reviewed',
    searchThis: 'Search the evidence for this question', searchThisHint: 'Bookmark it to run the search again',
    disabled: 'Disabled', tokens: 'Tokens', created: 'Created', passwordSet: (n) => `New password set for ${n}`,
    tokensRevoked: (n, c) => `${c} token(s) of ${n} revoked`, roleChanged: (n) => `Role of ${n} changed`,
    userAdded: (n) => `User ${n} added`,
  },
};

export const settings = {
  lang: localStorage.getItem('lakthan.lang') || 'th',
  digits: localStorage.getItem('lakthan.digits') || 'arabic',
};

export function setSetting(k, v) { settings[k] = v; localStorage.setItem('lakthan.' + k, v); }

// t('key', args...) → the string in the current language.
export function t(key, ...args) {
  const v = S[settings.lang][key] ?? S.th[key] ?? key;
  return typeof v === 'function' ? v(...args.map(num)) : v;
}

// Digits as the setting says (numbers and numeric strings).
export function num(x) {
  const s = String(x);
  return settings.digits === 'thai' ? s.replace(/[0-9]/g, d => '๐๑๒๓๔๕๖๗๘๙'[d]) : s;
}

const MONTHS = {
  th: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

// An ISO timestamp as a Buddhist-Era date: "23 พ.ย. 2569" (or Thai digits).
export function date(iso, withTime = false) {
  if (!iso) return t('none');
  const d = new Date(iso);
  if (isNaN(d)) return String(iso);
  let s = `${d.getDate()} ${MONTHS[settings.lang][d.getMonth()]} ${d.getFullYear() + 543}`;
  if (withTime) s += ` ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return num(s);
}

// A byte count for people.
export function bytes(n) {
  if (n == null) return t('none');
  const u = ['B', 'KB', 'MB', 'GB'];
  let i = 0, v = Number(n);
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return num((i ? v.toFixed(1) : String(v)) + ' ' + u[i]);
}

// The current Thai fiscal year (B.E.): October starts the next one.
export function currentFiscalYear() {
  const d = new Date();
  return d.getFullYear() + 543 + (d.getMonth() >= 9 ? 1 : 0);
}
