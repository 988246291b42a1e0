# lakthan export / import-bundle / GET /api/export: the yearly bundle checked
# with standard tools (unzip, bsdtar, python's zipfile, csv and html.parser,
# sha256sum/sha512sum -c), under LC_ALL=C, byte-identical repeats, the
# restore round trip, and the failure cases (missing and corrupt blobs, an
# unwritable folder, a full disk, a client that leaves mid-download).
. tests/integration/lib.sh

"$LAKTHAN" import-plan docs/examples/ita-measures-report-2567-khokhinhae.txt >/dev/null 2>&1
mkdir -p "$T/in"
cp "$FIX/thai.pdf" "$T/in/คู่มือ ป้องกันการทุจริต.pdf"
cp "$FIX/thai.docx" "$T/in/รายงาน:ผล?ครั้งที่ ๑.docx"
cp "$FIX/thai.xlsx" "$T/in/ตารางงบประมาณ.xlsx"
cp "$FIX/thai-source.txt" "$T/in/ประกาศเจตจำนงสุจริต.txt"
cp "$FIX/image.png" "$T/in/ภาพกิจกรรม.png"
# in this order, so the ids are known: 1 pdf, 2 docx, 3 xlsx, 4 txt, 5 png
run ingest --year 2567 --json "$T/in/คู่มือ ป้องกันการทุจริต.pdf" "$T/in/รายงาน:ผล?ครั้งที่ ๑.docx" \
	"$T/in/ตารางงบประมาณ.xlsx" "$T/in/ประกาศเจตจำนงสุจริต.txt" "$T/in/ภาพกิจกรรม.png"
expect_rc "five Thai-named fixtures ingested" 0
"$LAKTHAN" link 1 --measure 1.1 --question i19 >/dev/null 2>&1
"$LAKTHAN" link 2 --measure 1.1 --measure 2.1 >/dev/null 2>&1
"$LAKTHAN" link 3 --question o39 >/dev/null 2>&1

# --- export, checked with standard tools -----------------------------------
run export --year 2567 -o "$T/b.zip"
expect_rc "export --year 2567 -o b.zip" 0
check "unzip -t accepts the bundle" unzip -t "$T/b.zip"
check "bsdtar lists the bundle" bsdtar -tf "$T/b.zip"
python3 - "$T/b.zip" >"$T/py" 2>&1 <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = [i.filename for i in z.infolist()]
assert all(i.flag_bits & 0x800 for i in z.infolist() if not i.filename.isascii()), "UTF-8 flag missing"
assert names[:2] == ["ita-2567/bagit.txt", "ita-2567/bag-info.txt"], names[:2]
assert "ita-2567/data/files/1-คู่มือ ป้องกันการทุจริต.pdf" in names, names
assert "ita-2567/data/files/2-รายงาน_ผล_ครั้งที่ ๑.docx" in names, names
meth = {i.filename: i.compress_type for i in z.infolist()}
assert meth["ita-2567/data/files/1-คู่มือ ป้องกันการทุจริต.pdf"] == zipfile.ZIP_STORED
assert meth["ita-2567/data/files/3-ตารางงบประมาณ.xlsx"] == zipfile.ZIP_STORED
assert meth["ita-2567/data/files/4-ประกาศเจตจำนงสุจริต.txt"] == zipfile.ZIP_DEFLATED
assert meth["ita-2567/data/index.html"] == zipfile.ZIP_DEFLATED
assert len(set(names)) == len(names)
assert len({i.date_time for i in z.infolist()}) == 1, "one fixed timestamp"
print("ok")
EOF
[ "$(cat "$T/py")" = ok ] && ok "zipfile: Thai names decode as UTF-8 with flag 0x800; PDF/XLSX stored, text deflated" || fail "zipfile" "$(cat "$T/py")"
mkdir -p "$T/u" && (cd "$T/u" && unzip -q ../b.zip)
B="$T/u/ita-2567"
(cd "$B" && sha256sum -c --strict manifest-sha256.txt) >"$T/c" 2>&1 && ok "sha256sum -c manifest-sha256.txt from the bag root" || fail "sha256sum -c" "$(tail -3 "$T/c")"
(cd "$B" && sha512sum -c --strict manifest-sha512.txt) >/dev/null 2>&1 && ok "sha512sum -c manifest-sha512.txt" || fail "sha512sum -c"
(cd "$B" && sha256sum -c --strict tagmanifest-sha256.txt) >/dev/null 2>&1 && ok "sha256sum -c tagmanifest-sha256.txt" || fail "tagmanifest"
[ "$(cd "$B" && find data -type f | wc -l)" = "$(wc -l <"$B/manifest-sha256.txt")" ] && ok "the manifest lists every payload file" || fail "manifest completeness"
grep -q '^BagIt-Version: 1.0$' "$B/bagit.txt" && grep -q '^Tag-File-Character-Encoding: UTF-8$' "$B/bagit.txt" && ok "bagit.txt declares BagIt 1.0, UTF-8" || fail "bagit.txt"
oxum=$(cd "$B" && find data -type f -printf '%s\n' | awk '{s+=$1; n++} END {print s "." n}')
grep -q "^Payload-Oxum: $oxum$" "$B/bag-info.txt" && ok "Payload-Oxum matches the payload ($oxum)" || fail "Payload-Oxum" "$(grep Oxum "$B/bag-info.txt") vs $oxum"
head=$(sql "SELECT seq || ' ' || hash FROM audit WHERE action <> 'export' ORDER BY seq DESC LIMIT 1")
grep -q "^Lakthan-Audit-Head: $head$" "$B/bag-info.txt" && grep -q '^Bagging-Date: 20[0-9][0-9]-' "$B/bag-info.txt" &&
	grep -q '^External-Identifier: lakthan-ita-2567$' "$B/bag-info.txt" && grep -q '^Bag-Count: 1 of 1$' "$B/bag-info.txt" &&
	ok "bag-info.txt: identifier, date, count and the audit chain head" || fail "bag-info" "$(cat "$B/bag-info.txt")"
python3 - "$B/data/documents.csv" >"$T/py" 2>&1 <<'EOF'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
h = rows[0]
assert h[:4] == ["id", "file", "filename", "title"] and "sha256" in h and "measures" in h, h
assert len(rows) == 6 and all(len(r) == len(h) for r in rows), [len(r) for r in rows]
r2 = dict(zip(h, rows[2]))
assert r2["filename"] == "รายงาน:ผล?ครั้งที่ ๑.docx" and r2["measures"] == "1.1; 2.1", r2
print("ok")
EOF
[ "$(cat "$T/py")" = ok ] && ok "documents.csv: UTF-8 BOM, one row per document, Thai intact, links listed" || fail "csv" "$(cat "$T/py")"
python3 - "$B/data" >"$T/py" 2>&1 <<'EOF'
import sys, os, json, urllib.parse
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.links = []; s.scripts = 0; s.text = []; s.styles = 0
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "script": s.scripts += 1
        if tag == "style": s.styles += 1
        if tag == "link": s.scripts += 1
        if tag == "a" and "href" in a: s.links.append(a["href"])
    def handle_data(s, d): s.text.append(d)
d = sys.argv[1]
p = P(); p.feed(open(os.path.join(d, "index.html"), encoding="utf-8").read()); p.close()
assert p.scripts == 0 and p.styles == 1, "inline CSS only, no script"
t = "".join(p.text)
assert "ประเด็นที่ 1" in t and "ยังไม่มีหลักฐาน" in t and "i19" in t, "plan, gaps, questions"
files = [l for l in p.links if l.startswith("files/")]
assert files, "links to files"
for l in files:
    assert os.path.isfile(os.path.join(d, urllib.parse.unquote(l))), l
r = P(); r.feed(open(os.path.join(d, "README.html"), encoding="utf-8").read())
assert "sha256sum" in "".join(r.text) and "โครงสร้าง" in "".join(r.text)
j = json.load(open(os.path.join(d, "documents.json"), encoding="utf-8"))
assert j["version"] == 1 and len(j["documents"]) == 5
pl = json.load(open(os.path.join(d, "plan.json"), encoding="utf-8"))
assert pl["year"] == 2567 and len(pl["issues"]) == 7
for line in open(os.path.join(d, "audit.jsonl"), encoding="utf-8"):
    a = json.loads(line); assert a["object"].startswith("document:") and len(a["hash"]) == 64
print("ok")
EOF
[ "$(cat "$T/py")" = ok ] && ok "index.html parses: no script, relative links that resolve, gaps marked; README, JSON, audit" || fail "html/json" "$(cat "$T/py")"

# --- determinism and locale --------------------------------------------------
run export --year 2567 -o "$T/b2.zip"
cmp -s "$T/b.zip" "$T/b2.zip" && ok "a repeated export is byte-identical" || fail "repeat export differs"
LC_ALL=C LANG=C "$LAKTHAN" export --year 2567 -o "$T/c.zip" >/dev/null 2>&1
cmp -s "$T/b.zip" "$T/c.zip" && ok "export under LC_ALL=C gives the same bytes (UTF-8 flag without a UTF-8 locale)" || fail "LC_ALL=C differs"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'export' AND object = 'year:2567'")" -ge 3 ] && ok "each export is in the audit log" || fail "export audit"

# --- round trip --------------------------------------------------------------
run --data "$T/d2" import-bundle --json "$T/b.zip"
expect_rc "import-bundle into an empty archive" 0
[[ "$OUT" == *'"documents":5'* && "$OUT" == *'"measures":24'* ]] && ok "import-bundle restores 24 measures and 5 documents" || fail "import summary" "$OUT"
run --data "$T/d2" export --year 2567 -o "$T/r.zip"
expect_rc "export of the restored archive" 0
mkdir -p "$T/u2" && (cd "$T/u2" && unzip -q ../r.zip)
cmp -s "$B/manifest-sha256.txt" "$T/u2/ita-2567/manifest-sha256.txt" && ok "round trip: the payload checksums are the same" || fail "round trip" "$(diff "$B/manifest-sha256.txt" "$T/u2/ita-2567/manifest-sha256.txt")"
run --data "$T/d2" verify
expect_rc "the restored archive passes lakthan verify" 0
run --data "$T/d2" search ทุจริต
[[ "$OUT" == *"คู่มือ"* ]] && ok "the restored archive is searchable (text extracted again)" || fail "search after import" "$OUT"
run --data "$T/d2" import-bundle "$T/b.zip"
expect_rc "import-bundle into a non-empty archive is refused (2)" 2

# a bag whose file was changed: refused, naming the file, nothing written
mkdir -p "$T/bad" && cp -r "$B" "$T/bad/" && printf 'x' >>"$T/bad/ita-2567/data/files/4-ประกาศเจตจำนงสุจริต.txt"
(cd "$T/bad" && zip -qr ../bad.zip ita-2567)
run --data "$T/d3" import-bundle "$T/bad.zip"
[ "$RC" -ne 0 ] && [[ "$ERR" == *"4-ประกาศเจตจำนงสุจริต.txt"* && "$ERR" == *"manifest-sha256.txt"* ]] && ok "a changed file: refused, naming the file" || fail "bad bag" "$RC $ERR"
[ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from document").fetchone()[0])' "$T/d3/lakthan.db")" = 0 ] &&
	[ -z "$(find "$T/d3/blobs" -type f -not -path '*/tmp/*')" ] && ok "a refused bag leaves no document and no blob" || fail "refused bag wrote"

# --- a year without documents, a year with nothing ---------------------------
"$LAKTHAN" plan --year 2568 new-year --from 2567 >/dev/null 2>&1
run export --year 2568 -o "$T/e.zip"
expect_rc "export of a year with a plan and no documents" 0
mkdir -p "$T/ue" && (cd "$T/ue" && unzip -q ../e.zip) && (cd "$T/ue/ita-2568" && sha256sum -c --strict manifest-sha256.txt >/dev/null 2>&1 &&
	grep -q '^Lakthan-Documents: 0$' bag-info.txt && [ ! -e data/files ]) && ok "a year without documents is a valid empty bag" || fail "empty bag"
run export --year 2570 -o "$T/n.zip"
expect_rc "a year with neither plan nor documents: exit 2" 2
[ ! -e "$T/n.zip" ] && ok "…and no file" || fail "file written"
run export --year 2024 -o "$T/n.zip"
expect_rc "a CE year is refused" 2

# --- failure cases -----------------------------------------------------------
# root ignores a 555 folder: then a "folder" that is a file stands in for it
if [ "$(id -u)" != 0 ]; then mkdir -p "$T/ro" && chmod 555 "$T/ro"; else : >"$T/ro"; fi
run export --year 2567 -o "$T/ro/x.zip"
[ "$RC" -eq 1 ] && [[ "$ERR" == *"cannot create"* ]] && { [ -f "$T/ro" ] || [ -z "$(ls -A "$T/ro")" ]; } && ok "an unwritable folder: a clear error, nothing left" || fail "ro dir" "$RC $ERR"
LAKTHAN_TEST_EXPORT_ENOSPC_AFTER=30000 "$LAKTHAN" export --year 2567 -o "$T/full.zip" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "No space left" "$T/err" && [ ! -e "$T/full.zip" ] && [ -z "$(ls -A "$T" | grep lakthan-export)" ] &&
	ok "disk full: an error, no file under the target name and no temp file" || fail "enospc" "$rc $(cat "$T/err")"
cp "$T/b.zip" "$T/keep.zip"
LAKTHAN_TEST_EXPORT_ENOSPC_AFTER=30000 "$LAKTHAN" export --year 2567 -o "$T/keep.zip" 2>/dev/null
cmp -s "$T/b.zip" "$T/keep.zip" && ok "a failed export leaves an older bundle of that name untouched" || fail "old bundle clobbered"
h=$(sql "SELECT sha256 FROM document WHERE id = 4")
blob="$LAKTHAN_DATA/blobs/${h:0:2}/${h:2:2}/$h"
cp "$blob" "$T/blob.save"
chmod u+w "$blob" "$(dirname "$blob")"; printf 'X' | dd of="$blob" bs=1 seek=10 conv=notrunc 2>/dev/null
run export --year 2567 -o "$T/corrupt.zip"
[ "$RC" -eq 1 ] && [[ "$ERR" == *"document 4"* && "$ERR" == *"SHA-256"* ]] && [ ! -e "$T/corrupt.zip" ] &&
	ok "a corrupted blob: export stops naming the document, no file" || fail "corrupt blob" "$RC $ERR"
rm -f "$blob"
run export --year 2567 -o "$T/missing.zip"
[ "$RC" -eq 1 ] && [[ "$ERR" == *"document 4"* && "$ERR" == *"missing"* ]] && [ ! -e "$T/missing.zip" ] &&
	ok "a missing blob: export stops naming the document, no file" || fail "missing blob" "$RC $ERR"
cp "$T/blob.save" "$blob"

# --- HTTP --------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
for u in arch1:archivist staff1:staff; do
	echo "password-${u%%:*}" | "$LAKTHAN" user add "${u%%:*}" --role "${u##*:}" >/dev/null 2>&1
done
TARCH=$("$LAKTHAN" user token arch1)
TSTAFF=$("$LAKTHAN" user token staff1)
# the reference bytes, made now (the state the server will see)
"$LAKTHAN" export --year 2567 -o "$T/ref.zip" >/dev/null 2>&1
"$LAKTHAN" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done
S=$(curl -s -o "$T/h.zip" -D "$T/h" -w '%{http_code}' -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567")
[ "$S" = 200 ] && grep -qi '^Content-Type: application/zip' "$T/h" && ok "GET /api/export as archivist: 200 application/zip" || fail "http export" "$S $(cat "$T/h")"
cmp -s "$T/h.zip" "$T/ref.zip" && ok "the HTTP bundle is byte-identical to the CLI's" || fail "http bytes differ"
S=$(curl -s -o "$T/hb" -w '%{http_code}' -H "Authorization: Bearer $TSTAFF" "$URL/api/export?year=2567")
[ "$S" = 403 ] && ok "staff may not export: 403" || fail "staff export" "$S"
S=$(curl -s -o "$T/hb" -w '%{http_code}' "$URL/api/export?year=2567")
[ "$S" = 401 ] && ok "no credentials: 401" || fail "anon export" "$S"
S=$(curl -s -o "$T/hb" -w '%{http_code}' -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2024")
[ "$S" = 400 ] && ok "a CE year: 400" || fail "ce year" "$S"
S=$(curl -s -o "$T/hb" -w '%{http_code}' -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2570")
[ "$S" = 404 ] && ok "a year with nothing: 404" || fail "empty year" "$S"
# clients that leave after a few bytes: the server keeps serving, frees all
# (every request thread opens its database on first use: warm them all up first)
for i in $(seq 1 12); do curl -s -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567" -o /dev/null; done
for i in 1 2 3 4 5; do curl -s -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567" | head -c 1000 >/dev/null; done
# a leak grows with every aborted download; a thread opening its database
# for the first time adds descriptors once. So compare two identical rounds
# of aborted downloads, and give closing connections time to be reaped.
abort_round() {
	for i in 1 2 3 4 5 6 7 8; do curl -s -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567" | head -c 1000 >/dev/null; done
	for i in 1 2 3 4 5; do curl -s --limit-rate 20k -m 1 -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567" -o /dev/null; done
}
settled_fds() {  # the descriptor count once it stops falling (at most 5 s)
	local n prev=-1
	for i in $(seq 1 10); do
		sleep 0.5
		n=$(ls /proc/$SPID/fd | wc -l)
		[ "$n" = "$prev" ] && break
		prev=$n
	done
	echo "$n"
}
abort_round
fds_before=$(settled_fds)
abort_round
abort_round
fds_after=$(settled_fds)
[ "$fds_after" -le "$fds_before" ] && ok "clients that disconnect mid-download leak no descriptor ($fds_before → $fds_after)" || fail "fd leak" "$fds_before → $fds_after"
S=$(curl -s -o "$T/h2.zip" -w '%{http_code}' -H "Authorization: Bearer $TARCH" "$URL/api/export?year=2567")
[ "$S" = 200 ] && unzip -tq "$T/h2.zip" >/dev/null 2>&1 && ok "the service still exports after the aborted downloads" || fail "after aborts" "$S"
kill -TERM "$SPID"
wait "$SPID"; rc=$?
[ $rc -eq 0 ] && ok "serve stops cleanly (no leak reported by ASan)" || fail "serve exit $rc" "$(tail -20 "$T/serve.err")"

