#!/bin/sh
# make-fixtures: regenerate the extraction fixtures in tests/fixtures/ from the
# committed Thai source text (tests/fixtures/thai-source.txt) with real
# producers: LibreOffice (office formats and PDF), iconv (legacy encodings),
# qpdf (encryption) and python3 (archives, broken and hostile files).
#
# The fixtures are committed, so CI never runs this script. Needs:
#   soffice (LibreOffice), fonts-thai-tlwg, iconv, qpdf, python3, head,
#   pdftotext (poppler-utils).
# Usage: tools/make-fixtures.sh            (from anywhere inside the repo)
set -eu

cd "$(dirname "$0")/.."
F=tests/fixtures
SRC=$F/thai-source.txt
[ -f "$SRC" ] || { echo "make-fixtures: $SRC missing" >&2; exit 1; }
for tool in soffice iconv qpdf python3 pdftotext; do
	command -v "$tool" >/dev/null || { echo "make-fixtures: $tool not found" >&2; exit 1; }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# ---------------------------------------------------------------- plain text
printf '\357\273\277' > $F/thai-utf8-bom.txt
cat "$SRC" >> $F/thai-utf8-bom.txt
iconv -f UTF-8 -t TIS-620 "$SRC" > $F/thai-tis620.txt
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$SRC"; } > $F/thai-utf16le.txt
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$SRC"; } > $F/thai-utf16be.txt
: > $F/empty.txt

# ------------------------------------------------- sources for LibreOffice and HTML
# Flat ODF (one XML file) lets us state the Thai font for complex text, so the
# PDFs embed a font that has Thai glyphs, and gives the documents real
# structure: heading, tab, line break, repeated spaces, table, footnote,
# header, several sheets and slides.
python3 - "$SRC" "$TMP" <<'PY'
import sys, html
src, tmp = sys.argv[1], sys.argv[2]
lines = [l for l in open(src, encoding="utf-8").read().split("\n") if l]
title, paras = lines[0], lines[1:]
esc = html.escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')
FONT = ('<office:font-face-decls><style:font-face style:name="Garuda" '
        'svg:font-family="Garuda"/></office:font-face-decls>')
TEXTPROPS = ('<style:text-properties style:font-name="Garuda" fo:font-size="12pt" '
             'style:font-name-asian="Garuda" style:font-name-complex="Garuda" '
             'style:font-size-complex="14pt" fo:language="th" fo:country="TH" '
             'style:language-complex="th" style:country-complex="TH"/>')

def doc(kind, mimetype, styles, body):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {NS} office:version="1.3" office:mimetype="{mimetype}">'
            f'{FONT}<office:styles><style:default-style style:family="paragraph">{TEXTPROPS}'
            f'</style:default-style><style:default-style style:family="table-cell">{TEXTPROPS}'
            f'</style:default-style><style:default-style style:family="graphic">{TEXTPROPS}'
            f'</style:default-style></office:styles>{styles}'
            f'<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document>\n')

# thai.fodt: the whole source, one paragraph per line, plus structure
MASTER = ('<office:automatic-styles><style:style style:name="PB" style:family="paragraph">'
          '<style:paragraph-properties fo:break-before="page"/></style:style>'
          '<style:page-layout style:name="pm1"/></office:automatic-styles>'
          '<office:master-styles><style:master-page style:name="Standard" '
          'style:page-layout-name="pm1"><style:header><text:p>HEADER_TEXT</text:p>'
          '</style:header></style:master-page></office:master-styles>')
body = f'<text:h text:outline-level="1">{esc(title)}</text:h>'
body += ''.join(f'<text:p>{esc(p)}</text:p>' for p in paras)
body += ('<text:p>คะแนนเฉลี่ย<text:tab/>๘๕.๕๐<text:line-break/>ครั้งที่ ๒</text:p>'
         '<text:p>รหัส <text:s text:c="2"/>ITA-2567</text:p>'
         '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>'
         '<table:table-row><table:table-cell><text:p>ประเด็น</text:p></table:table-cell>'
         '<table:table-cell><text:p>คะแนน</text:p></table:table-cell></table:table-row>'
         '<table:table-row><table:table-cell><text:p>การป้องกันการทุจริต</text:p></table:table-cell>'
         '<table:table-cell><text:p>72.5</text:p></table:table-cell></table:table-row>'
         '</table:table>'
         '<text:p>ที่มา: แบบวัด ITA<text:note text:id="n1" text:note-class="footnote">'
         '<text:note-citation>1</text:note-citation><text:note-body>'
         '<text:p>เชิงอรรถ: ข้อมูลจากระบบ ITAS ปี ๒๕๖๗</text:p></text:note-body></text:note></text:p>')
open(f"{tmp}/thai.fodt", "w", encoding="utf-8").write(doc(
    "text", "application/vnd.oasis.opendocument.text",
    MASTER.replace("HEADER_TEXT", "หัวกระดาษ: เอกสารหลักฐานประกอบการประเมิน"), body))

# thai-multipage.fodt: title + one paragraph per page, 4 pages
pages = [f'<text:h text:outline-level="1">{esc(title)}</text:h><text:p>{esc(paras[0])}</text:p>']
pages += [f'<text:p text:style-name="PB">{esc(p)}</text:p>' for p in paras[1:]]
open(f"{tmp}/thai-multipage.fodt", "w", encoding="utf-8").write(doc(
    "text", "application/vnd.oasis.opendocument.text",
    MASTER.replace("<style:header><text:p>HEADER_TEXT</text:p></style:header>", ""),
    "".join(pages)))

# thai.fods: two sheets; a repeated string (shared once in XLSX), numbers,
# an empty cell in the middle of a row and an empty row
def cell(v):
    if v is None:
        return '<table:table-cell/>'
    if isinstance(v, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                f'<text:p>{v}</text:p></table:table-cell>')
    return f'<table:table-cell office:value-type="string"><text:p>{esc(v)}</text:p></table:table-cell>'
def sheet(name, rows):
    return (f'<table:table table:name="{esc(name)}">'
            + ''.join('<table:table-row>' + ''.join(cell(v) for v in r) + '</table:table-row>'
                      for r in rows) + '</table:table>')
sheet1 = [["ประเด็น", "มาตรการ", "คะแนน"],
          [1, "การป้องกันการทุจริต", 72.5],
          [2, "การให้บริการประชาชนผ่าน E-Service", 88],
          [3, None, "ดำเนินการแล้ว"],
          [],
          ["หมายเหตุ", "ดำเนินการแล้ว"]]
sheet2 = [["ปีงบประมาณ ๒๕๖๗", "ฟื้นฟูแหล่งน้ำ"],
          ["ครั้งที่", 2]]
open(f"{tmp}/thai.fods", "w", encoding="utf-8").write(doc(
    "spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "",
    sheet("แผน", sheet1) + sheet("ผล", sheet2)))

# thai.fodp: three slides, the second with two paragraphs
def slide(n, texts):
    ps = ''.join(f'<text:p>{esc(t)}</text:p>' for t in texts)
    return (f'<draw:page draw:name="s{n}" draw:master-page-name="Default">'
            '<draw:frame svg:x="1cm" svg:y="1cm" svg:width="24cm" svg:height="15cm">'
            f'<draw:text-box>{ps}</draw:text-box></draw:frame></draw:page>')
PMASTER = ('<office:master-styles><style:master-page style:name="Default"/>'
           '</office:master-styles>')
open(f"{tmp}/thai.fodp", "w", encoding="utf-8").write(doc(
    "presentation", "application/vnd.oasis.opendocument.presentation", PMASTER,
    slide(1, [title]) + slide(2, paras[:2]) + slide(3, [paras[3]])))

# HTML: the same text, with things that must not come out (script, style,
# noscript, template) and a table and a list
def page(meta):
    return ('<!DOCTYPE html>\n<html lang="th">\n<head>\n' + meta +
            f'<title>{esc(title)}</title>\n'
            '<style>body { font-family: Garuda; } .x::after { content: "STYLE_TEXT"; }</style>\n'
            '<script>var secret = "SCRIPT_TEXT"; document.write("ห้ามแสดง");</script>\n'
            '</head>\n<body>\n<h1>ประกาศองค์การบริหารส่วนตำบล</h1>\n'
            + ''.join(f'<p>{esc(p)}</p>\n' for p in paras) +
            '<noscript>NOSCRIPT_TEXT</noscript>\n<template><p>TEMPLATE_TEXT</p></template>\n'
            '<table>\n<tr><th>ประเด็น</th><th>คะแนน</th></tr>\n'
            '<tr><td>การป้องกันการทุจริต</td><td>72.5</td></tr>\n</table>\n'
            '<ul><li>คำสั่งแต่งตั้ง</li><li>รายงานผล<br>ไตรมาส ๒</li></ul>\n'
            '<p>ดู <b>ตัวชี้วัด</b> <i>ITA</i> และ&nbsp;E-Service &amp; อื่น ๆ</p>\n'
            '</body>\n</html>\n')
open(f"{tmp}/thai.html", "w", encoding="utf-8").write(page('<meta charset="utf-8">\n'))
open(f"{tmp}/thai-tis620.html", "w", encoding="utf-8").write(page(
    '<meta http-equiv="Content-Type" content="text/html; charset=tis-620">\n'))
open(f"{tmp}/thai-tis620-nometa.html", "w", encoding="utf-8").write(page(''))
PY

cp "$TMP/thai.html" $F/thai.html
iconv -f UTF-8 -t TIS-620 "$TMP/thai-tis620.html" > $F/thai-tis620.html
iconv -f UTF-8 -t TIS-620 "$TMP/thai-tis620-nometa.html" > $F/thai-tis620-nometa.html

# ---------------------------------------------------------------- LibreOffice
# A private profile so that a running LibreOffice (or a parallel run) does not
# swallow the conversion.
LO="soffice -env:UserInstallation=file://$TMP/profile --headless --norestore"
convert() { # convert SRC FORMAT OUTNAME
	rm -rf "$TMP/out" && mkdir "$TMP/out"
	$LO --convert-to "$2" --outdir "$TMP/out" "$1" >/dev/null 2>&1
	ext=${2%%:*}
	mv "$TMP/out/$(basename "${1%.*}").$ext" "$F/$3"
}
convert "$TMP/thai.fodt" odt thai.odt
convert "$TMP/thai.fodt" 'docx:MS Word 2007 XML' thai.docx
convert "$TMP/thai.fodt" pdf thai.pdf
convert "$TMP/thai-multipage.fodt" pdf thai-multipage.pdf
convert "$TMP/thai.fods" ods thai.ods
convert "$TMP/thai.fods" 'xlsx:Calc MS Excel 2007 XML' thai.xlsx
convert "$TMP/thai.fodp" odp thai.odp
convert "$TMP/thai.fodp" 'pptx:Impress MS PowerPoint 2007 XML' thai.pptx

# ------------------------------------------------------------ broken and hostile
qpdf --encrypt secret-user secret-owner 256 -- $F/thai.pdf $F/encrypted.pdf
size=$(wc -c < $F/thai.pdf)
head -c $((size / 2)) $F/thai.pdf > $F/truncated.pdf

python3 - "$F" <<'PY'
import sys, zipfile, zlib, struct, random, re, io
F = sys.argv[1]

# random.pdf: a PDF header (so libmagic says application/pdf) then noise
rnd = random.Random(2567)
open(f"{F}/random.pdf", "wb").write(b"%PDF-1.7\n" + bytes(rnd.getrandbits(8) for _ in range(16384)))

# image.png: a 64x16 colour gradient (PNG written by hand: IHDR, IDAT, IEND)
def png(w, h, pixels):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\0" + pixels[y * w * 3:(y + 1) * w * 3] for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
open(f"{F}/image.png", "wb").write(
    png(64, 16, bytes(v for y in range(16) for x in range(64) for v in (x * 4, y * 16, 128))))

# bomb.docx: a valid DOCX whose word/document.xml is 64 MiB of spaces inside
# one w:t, deflated to about 65 KB (ratio ~1000). bomb-lying.docx is the same
# file with the uncompressed size in both ZIP headers patched to 1000 bytes:
# caps must hold while reading, not only against what the headers claim.
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
body = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r>'
        '<w:t xml:space="preserve">ระเบิด'.encode() + b" " * (64 << 20)
        + b"</w:t></w:r></w:p></w:body></w:document>")
with zipfile.ZipFile(f"{F}/bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", CT)
    z.writestr("_rels/.rels", RELS)
    z.writestr("word/document.xml", body)
del body
data = bytearray(open(f"{F}/bomb.docx", "rb").read())
info = zipfile.ZipFile(f"{F}/bomb.docx").getinfo("word/document.xml")
struct.pack_into("<I", data, info.header_offset + 22, 1000)        # local header
cd = data.rindex(b"PK\x01\x02")                                 # its central entry (the last)
assert data[cd + 46:cd + 46 + 17] == b"word/document.xml"
struct.pack_into("<I", data, cd + 24, 1000)                         # central directory
open(f"{F}/bomb-lying.docx", "wb").write(data)

# thai-thumbnail.docx: thai.docx re-packed with a 12 KB thumbnail stored
# before the document parts, as Word does when "save preview picture" is on.
# libmagic does not look that far and calls the file application/zip.
thumb = png(64, 64, bytes(rnd.getrandbits(8) for _ in range(64 * 64 * 3)))
src = zipfile.ZipFile(f"{F}/thai.docx")
with zipfile.ZipFile(f"{F}/thai-thumbnail.docx", "w", zipfile.ZIP_DEFLATED) as z:
    ct = src.read("[Content_Types].xml").replace(
        b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", src.read("_rels/.rels"))
    z.writestr("docProps/thumbnail.png", thumb, compress_type=zipfile.ZIP_STORED)
    for n in src.namelist():
        if n not in ("[Content_Types].xml", "_rels/.rels"):
            z.writestr(n, src.read(n))

# badindex.xlsx: thai.xlsx with shared-string indexes out of range
# (one huge, one negative, one past the end) in the first sheet
src = zipfile.ZipFile(f"{F}/thai.xlsx")
with zipfile.ZipFile(f"{F}/badindex.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            vals = iter([b"99999999999999999999999", b"-1", b"4096"])
            def swap(m):
                v = next(vals, None)
                return m.group(1) + (v if v is not None else m.group(2)) + m.group(3)
            data = re.sub(rb'(<c [^>]*t="s"[^>]*><v>)(\d+)(</v>)', swap, data)
        z.writestr(info, data)

# traversal.zip: entry names that escape the extraction directory, and a symlink
with zipfile.ZipFile(f"{F}/traversal.zip", "w") as z:
    z.writestr("ok.txt", "ไฟล์ปกติ\n")
    z.writestr(zipfile.ZipInfo("../evil.txt"), "outside the target directory\n")
    z.writestr(zipfile.ZipInfo("/etc/abs.txt"), "absolute path\n")
    link = zipfile.ZipInfo("link-to-passwd")
    link.create_system = 3
    link.external_attr = (0o120777 << 16)
    z.writestr(link, "/etc/passwd")

# longname.zip: one entry whose UTF-8 name is exactly 300 bytes
name = "ก" * 98 + "ab.txt"
assert len(name.encode()) == 300
with zipfile.ZipFile(f"{F}/longname.zip", "w") as z:
    z.writestr(name, "ชื่อไฟล์ยาว\n")
PY

# a PDF made of one picture and no text layer, as a scanner writes it
convert "$F/image.png" pdf scanned.pdf

# pdftotext's reading of the multi-page PDF: the tests cross-check poppler-glib
# against it
pdftotext $F/thai-multipage.pdf $F/thai-multipage.pdftotext.txt

echo "make-fixtures: done"
ls -l $F
