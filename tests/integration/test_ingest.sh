# Ingest of real documents made by real producers: every format's Thai text
# comes out as Thai, duplicates are recognised, ZIPs and folders unpack.
. tests/integration/lib.sh

mkdir -p "$T/in/sub"
for f in thai.docx thai.xlsx thai.pptx thai.odt thai.ods thai.odp thai.pdf thai.html \
         thai-tis620.html thai-tis620-nometa.html thai-tis620.txt thai-utf16le.txt \
         thai-utf16be.txt thai-utf8-bom.txt image.png; do
	cp "$FIX/$f" "$T/in/sub/$f"
done
cp "$FIX/thai-source.txt" "$T/in/ต้นฉบับ.txt"

run ingest --json --year 2567 "$T/in"
expect_rc "ingest of a folder of good files exits 0" 0
echo "$OUT" > "$T/lines"
n=$(grep -c . "$T/lines")
[ "$n" -eq 16 ] && ok "one JSON line per file (16)" || fail "one JSON line per file" "got $n" "$OUT"
bad=$(jsonl 'j["path"] if j["status"] != "added" else None' "$T/lines")
[ -z "$bad" ] && ok "every file was added" || fail "every file was added" "$bad"

status_of() { jsonl "j['text_status'] + ' ' + j['mime'] if j['path'].endswith('/$1') else None" "$T/lines"; }
for f in thai.docx thai.xlsx thai.pptx thai.odt thai.ods thai.odp thai.pdf thai.html \
         thai-tis620.html thai-tis620-nometa.html thai-tis620.txt thai-utf16le.txt \
         thai-utf16be.txt thai-utf8-bom.txt; do
	s=$(status_of "$f")
	[[ "$s" == ok\ * ]] && ok "$f: text extracted ($s)" || fail "$f: text extracted" "$s"
done
s=$(status_of image.png)
[[ "$s" == "needs_ocr image/png" ]] && ok "an image is stored with text_status needs_ocr" || fail "png status" "$s"

# the Thai in the stored text is the source's Thai: take phrases of the source
# and look for them, with spaces removed (PDF extraction moves spaces)
text_of() { sql "SELECT t.text FROM document d JOIN document_text t ON t.document_id = d.id WHERE d.filename = '$1'"; }
for f in thai.docx thai.odt thai.html thai-tis620.html thai-tis620-nometa.html thai-utf16le.txt; do
	if text_of "$f" | grep -qF "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"; then
		ok "$f: Thai phrase found verbatim"
	else
		fail "$f: Thai phrase found verbatim" "$(text_of "$f" | head -c 300)"
	fi
done
for f in thai-tis620.txt thai-utf16le.txt thai-utf16be.txt thai-utf8-bom.txt; do
	text_of "$f" > "$T/got.txt"
	# sql() prints a trailing newline; the source may or may not end with one
	if diff <(cat "$FIX/thai-source.txt"; echo) "$T/got.txt" >/dev/null || diff "$FIX/thai-source.txt" "$T/got.txt" >/dev/null; then
		ok "$f: converted text equals the UTF-8 source exactly"
	else
		fail "$f: converted text equals the source" "$(diff "$FIX/thai-source.txt" "$T/got.txt" | head -5)"
	fi
done
if text_of thai.pdf | tr -d ' \n\f' | grep -qF "การป้องกันการทุจริต"; then
	ok "thai.pdf: Thai phrase found (ignoring spaces)"
else
	fail "thai.pdf: Thai phrase found" "$(text_of thai.pdf | head -c 300)"
fi
[ "$(sql "SELECT filename FROM document WHERE filename = 'ต้นฉบับ.txt'")" = "ต้นฉบับ.txt" ] && ok "a Thai file name is kept" || fail "Thai file name kept"
[ "$(sql "SELECT count(*) FROM document WHERE year = 2567")" = 16 ] && ok "--year is recorded" || fail "--year recorded"
[ "$(sql "SELECT title FROM document WHERE filename = 'thai.pdf'")" = thai ] && ok "the title defaults to the file name without extension" || fail "default title"

# same bytes again, under another name: a duplicate of the same document
cp "$FIX/thai.pdf" "$T/copy-of-report.pdf"
id1=$(sql "SELECT id FROM document WHERE filename = 'thai.pdf'")
run ingest --json "$T/copy-of-report.pdf"
expect_rc "a duplicate is not an error" 0
echo "$OUT" > "$T/dup"
[ "$(jsonl 'j["status"] + " " + str(j["id"])' "$T/dup")" = "duplicate $id1" ] && ok "same bytes report duplicate with the existing id" || fail "duplicate id" "$OUT"
[ "$(sql 'SELECT count(*) FROM document')" = 16 ] && ok "a duplicate adds no document" || fail "duplicate adds no document"
nblobs=$(find "$LAKTHAN_DATA/blobs" -type f -not -path "$LAKTHAN_DATA/blobs/tmp/*" | wc -l)
[ "$nblobs" = 16 ] && ok "one blob per distinct content" || fail "blob count" "$nblobs"

# a ZIP of files: entries become documents, named by the entry
(cd "$T/in/sub" && zip -q "$T/batch.zip" thai.docx thai.odt && cd "$FIX" && zip -q "$T/batch.zip" thai-source.txt thai-multipage.pdf)
run ingest --json "$T/batch.zip"
expect_rc "ingest of a ZIP exits 0" 0
echo "$OUT" > "$T/zip"
[ "$(jsonl 'j["status"]' "$T/zip" | sort | uniq -c | tr -s ' ' | sed 's/^ //' | tr '\n' ',')" = "1 added,3 duplicate," ] && ok "ZIP entries are ingested (new one added, known ones duplicate)" || fail "ZIP statuses" "$OUT"
[[ "$(jsonl 'j["path"]' "$T/zip" | head -1)" == "$T/batch.zip!/"* ]] && ok "ZIP entries are reported as zip!/entry" || fail "zip path"
pages=$(sql "SELECT t.text FROM document d JOIN document_text t ON t.document_id = d.id WHERE d.filename = 'thai-multipage.pdf'" | tr -cd '\f' | wc -c)
[ "$pages" -ge 2 ] && ok "a multi-page PDF keeps page breaks ($pages form feeds)" || fail "PDF page breaks" "$pages"

run verify
expect_rc "verify is clean after ingest" 0
