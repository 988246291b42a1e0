# import-bundle of a bundle that holds a purged document: the row comes back
# as the source archive has it (id, names, dates, withdrawal, supersedes, the
# purge fields), with its link and audit, but without file, text or index
# entry; verify is clean, the other documents are intact, and a re-export
# lists the same documents. A bag that lacks the file of a document that is
# not purged is still refused, and so is a purged document with a file or a
# loop of versions; a version of a document outside the bag loses that link.
. tests/integration/lib.sh

"$LAKTHAN" import-plan docs/examples/ita-measures-report-2567-khokhinhae.txt >/dev/null 2>&1
mkdir -p "$T/in"
cp "$FIX/thai.pdf" "$T/in/คู่มือ ป้องกันการทุจริต.pdf"
cp "$FIX/thai.docx" "$T/in/รายงานผล.docx"
printf 'รายชื่อผู้ร้องเรียน zebraquartz เลขบัตรประชาชน ปี 2567\n' >"$T/in/ร้องเรียน zebraold.txt"
printf 'รายชื่อผู้ร้องเรียน ฉบับปกปิดข้อมูลส่วนบุคคล ปี 2567\n' >"$T/in/ร้องเรียน ฉบับใหม่.txt"
# ids: 1 pdf, 2 docx, 3 the list that is purged below, 4 its new version
run ingest --year 2567 "$T/in/คู่มือ ป้องกันการทุจริต.pdf" "$T/in/รายงานผล.docx" "$T/in/ร้องเรียน zebraold.txt"
expect_rc "three files ingested" 0
run ingest --year 2567 --supersedes 3 "$T/in/ร้องเรียน ฉบับใหม่.txt"
expect_rc "a new version of document 3 ingested" 0
"$LAKTHAN" link 1 --measure 1.1 --question i19 >/dev/null 2>&1
"$LAKTHAN" link 3 --measure 2.1 >/dev/null 2>&1
[ "$(sql "SELECT group_concat(document_id) FROM document_link ORDER BY document_id")" = "1,1,3" ] &&
	ok "documents 1 and 3 are linked" || fail "links" "$(sql "SELECT * FROM document_link")"

# search --json QUERY in data dir DIR: the ids found, one line, in order
ids_found() {
	"$LAKTHAN" --data "$1" search --json "$2" 2>/dev/null |
		python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)["results"]))'
}
# before the purge, both words find document 3: the later checks mean something
[[ " $(ids_found "$LAKTHAN_DATA" zebraquartz) " == *" 3 "* && " $(ids_found "$LAKTHAN_DATA" zebraold) " == *" 3 "* ]] &&
	ok "before the purge, a word of its text and of its name find document 3" || fail "search before purge"

# withdraw (the API is the only way) and purge document 3
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
echo "password-admin" | "$LAKTHAN" user add admin --role admin >/dev/null 2>&1
TADMIN=$("$LAKTHAN" user token admin)
"$LAKTHAN" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done
S=$(curl -s -o "$T/b" -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TADMIN" -d '{"reason":"มีข้อมูลส่วนบุคคล"}' "$URL/api/documents/3")
[ "$S" = 200 ] && ok "document 3 withdrawn" || fail "withdraw" "$S $(cat "$T/b")"
kill -TERM "$SPID"
wait "$SPID"
run purge 3 --reason "ลบเลขบัตรประชาชนตามคำขอ"
expect_rc "document 3 purged" 0

run export --year 2567 -o "$T/a.zip"
expect_rc "export of the year with the purged document" 0
mkdir -p "$T/ua" && (cd "$T/ua" && unzip -q ../a.zip)
A="$T/ua/ita-2567"

# --- the round trip ----------------------------------------------------------
R="$T/restored"
run --data "$R" import-bundle --json "$T/a.zip"
expect_rc "import-bundle of a bundle with a purged document" 0
[[ "$OUT" == *'"documents":4'* ]] && ok "the summary counts the four documents" || fail "summary" "$OUT"

cols="id, sha256, size, mime, filename, title, description, year, evidence_date, uploaded_by, uploaded_at,
	text_status, text_chars, withdrawn_at, withdrawn_reason, supersedes, purged_at, purged_by, purged_reason"
src_row=$(sql "SELECT $cols FROM document WHERE id = 3")
new_row=$(LAKTHAN_DATA="$R" sql "SELECT $cols FROM document WHERE id = 3")
[ -n "$src_row" ] && [ "$new_row" = "$src_row" ] && ok "the purged document's row is restored field for field" ||
	fail "purged row" "source:   $src_row" "restored: $new_row"
[ "$(LAKTHAN_DATA="$R" sql "SELECT purged_reason FROM document WHERE id = 3 AND purged_at IS NOT NULL
	AND purged_by IS NOT NULL AND withdrawn_reason = 'มีข้อมูลส่วนบุคคล'")" = "ลบเลขบัตรประชาชนตามคำขอ" ] &&
	ok "... purged_at, purged_by, purged_reason and the withdrawal are there" || fail "purge fields" "$new_row"
[ "$(LAKTHAN_DATA="$R" sql "SELECT supersedes FROM document WHERE id = 4")" = 3 ] &&
	ok "its new version still supersedes it" || fail "supersedes" "$(LAKTHAN_DATA="$R" sql "SELECT id, supersedes FROM document")"
[ "$(LAKTHAN_DATA="$R" sql "SELECT count(*) FROM document_text WHERE document_id = 3")" = 0 ] &&
	ok "no text for the purged document" || fail "text of purged"
h3=$(sql "SELECT sha256 FROM document WHERE id = 3")
[ -n "$h3" ] && [ ! -e "$R/blobs/${h3:0:2}/${h3:2:2}/$h3" ] && ok "no file for the purged document" || fail "blob of purged"
[ "$(LAKTHAN_DATA="$R" sql "SELECT count(*) FROM document_link WHERE document_id = 3")" = 1 ] &&
	ok "its link comes back" || fail "link of purged" "$(LAKTHAN_DATA="$R" sql "SELECT * FROM document_link")"
for a in upload withdraw purge; do
	n=$(LAKTHAN_DATA="$R" sql "SELECT count(*) FROM audit WHERE action = 'imported' AND object = 'document:3'
		AND json_extract(detail, '\$.original.action') = '$a'")
	[ "$n" = 1 ] && ok "its '$a' audit record comes back" || fail "audit $a" "$n"
done

# not findable: neither by its text (gone) nor by its name (the insert
# trigger indexed the row: that entry must be gone again)
found_text=$(ids_found "$R" zebraquartz)
found_name=$(ids_found "$R" zebraold)
found_new=$(ids_found "$R" รายชื่อผู้ร้องเรียน)
[[ " $found_text " != *" 3 "* && " $found_name " != *" 3 "* ]] &&
	ok "search finds the purged document neither by its text nor by its name" || fail "purged found" "text: $found_text" "name: $found_name"
# search leaves rows missing from search_source out, so look at the index
# itself: FTS5 keeps one docsize row per document it holds
[ "$(LAKTHAN_DATA="$R" sql "SELECT group_concat(id) FROM (SELECT id FROM search_fts_docsize ORDER BY id)")" = "1,2,4" ] &&
	[ "$(sql "SELECT group_concat(id) FROM (SELECT id FROM search_fts_docsize ORDER BY id)")" = "1,2,4" ] &&
	ok "the index holds documents 1, 2 and 4, as in the source archive: no entry for the purged one" ||
	fail "index entries" "restored: $(LAKTHAN_DATA="$R" sql "SELECT id FROM search_fts_docsize")"
[ "$found_new" = 4 ] && ok "... while the new version is found (its text extracted again)" || fail "search new version" "$found_new"

run --data "$R" verify --json
expect_rc "lakthan verify of the restored archive is clean" 0
python3 - "$R/lakthan.db" "$R/blobs" >"$T/py" 2>&1 <<'EOF'
import hashlib, os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, sha256, size FROM document WHERE purged_at IS NULL ORDER BY id").fetchall()
assert [r[0] for r in rows] == [1, 2, 4], rows
for i, h, size in rows:
    data = open(os.path.join(sys.argv[2], h[:2], h[2:4], h), "rb").read()
    assert hashlib.sha256(data).hexdigest() == h and len(data) == size, i
    assert db.execute("SELECT count(*) FROM document_text WHERE document_id = ?", (i,)).fetchone()[0] == 1, i
print("ok")
EOF
[ "$(cat "$T/py")" = ok ] && ok "the other documents: their files hash to their SHA-256, their text is back" || fail "others" "$(cat "$T/py")"
python3 - "$R/lakthan.db" >"$T/py" 2>&1 <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
prev = None
for seq, p, h in db.execute("SELECT seq, prev, hash FROM audit ORDER BY seq"):
    assert prev is None or p == prev, seq
    prev = h
last = db.execute("SELECT action FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
assert last == "bundle.import", last
print("ok")
EOF
[ "$(cat "$T/py")" = ok ] && [[ "$OUT" != *audit_chain* ]] && ok "the audit chain is linked and verifies, the import recorded last" ||
	fail "audit chain" "$(cat "$T/py")" "$OUT"

run --data "$R" export --year 2567 -o "$T/r.zip"
expect_rc "export of the restored archive" 0
mkdir -p "$T/ur" && (cd "$T/ur" && unzip -q ../r.zip)
cmp -s "$A/data/documents.json" "$T/ur/ita-2567/data/documents.json" &&
	ok "the re-export's documents.json is the same, purged record included" ||
	fail "documents.json differs" "$(diff "$A/data/documents.json" "$T/ur/ita-2567/data/documents.json" | head -20)"
cmp -s "$A/manifest-sha256.txt" "$T/ur/ita-2567/manifest-sha256.txt" && ok "... and so is the whole payload" ||
	fail "payload differs" "$(diff "$A/manifest-sha256.txt" "$T/ur/ita-2567/manifest-sha256.txt")"

# --- bags that are refused -------------------------------------------------
# rebag DIR: the manifests, Payload-Oxum and tag manifest made again for what
# DIR holds, so that only the point under test is wrong with the bag
rebag() { python3 - "$1" <<'EOF'
import hashlib, os, re, sys
root = sys.argv[1]
def digest(p, algo):
    return hashlib.new(algo, open(os.path.join(root, p), "rb").read()).hexdigest()
payload = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(os.path.join(root, "data")) for f in fs)
for algo in ("sha256", "sha512"):
    with open(os.path.join(root, "manifest-%s.txt" % algo), "w", encoding="utf-8") as m:
        m.writelines("%s  %s\n" % (digest(p, algo), p) for p in payload)
octets = sum(os.path.getsize(os.path.join(root, p)) for p in payload)
info = open(os.path.join(root, "bag-info.txt"), encoding="utf-8").read()
info = re.sub(r"Payload-Oxum: .*", "Payload-Oxum: %d.%d" % (octets, len(payload)), info)
open(os.path.join(root, "bag-info.txt"), "w", encoding="utf-8").write(info)
with open(os.path.join(root, "tagmanifest-sha256.txt"), "w", encoding="utf-8") as m:
    m.writelines("%s  %s\n" % (digest(p, "sha256"), p) for p in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"))
EOF
}
# edit_docs DIR ID PYTHON: run PYTHON on the record `d` of document ID in DIR's documents.json
edit_docs() { python3 - "$1/data/documents.json" "$2" "$3" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
d = [x for x in j["documents"] if x["id"] == int(sys.argv[2])][0]
exec(sys.argv[3])
json.dump(j, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
EOF
}
# refused NAME DESC MESSAGE...: import-bundle of bag NAME into a new archive
# fails (exit 1) with every MESSAGE in stderr, and writes no row and no blob
refused() {
	local name=$1 desc=$2; shift 2
	rebag "$T/$name/ita-2567"
	(cd "$T/$name" && zip -qrD "../$name.zip" ita-2567)
	run --data "$T/d-$name" import-bundle "$T/$name.zip"
	local m miss=""
	for m in "$@"; do [[ "$ERR" == *"$m"* ]] || miss="$m"; done
	[ "$RC" -eq 1 ] && [ -z "$miss" ] && ok "$desc" || fail "$desc" "exit $RC" "stderr: $ERR"
	[ "$(LAKTHAN_DATA="$T/d-$name" sql "SELECT count(*) FROM document")" = 0 ] &&
		[ -z "$(find "$T/d-$name/blobs" -type f -not -path '*/tmp/*')" ] &&
		ok "... and nothing is written" || fail "$desc: something was written"
}
# the unchanged bag goes through rebag too: only the change below is refused
mkdir -p "$T/same" && cp -r "$A" "$T/same/"
rebag "$T/same/ita-2567" && (cd "$T/same" && zip -qrD ../same.zip ita-2567)
run --data "$T/d-same" import-bundle "$T/same.zip"
expect_rc "a bag made again by the test's rebag is accepted" 0
# zipped again the plain way, with directory entries (zip -r without -D)
(cd "$T/same" && zip -qr ../same-dirs.zip ita-2567)
[ -n "$(unzip -Z1 "$T/same-dirs.zip" | grep '/$')" ] || fail "zip -r wrote no directory entries"
run --data "$T/d-same-dirs" import-bundle "$T/same-dirs.zip"
expect_rc "a bag zipped again with plain zip -r (directory entries) is accepted" 0

mkdir -p "$T/nofile" && cp -r "$A" "$T/nofile/"
rm "$T/nofile/ita-2567/data/files/1-คู่มือ ป้องกันการทุจริต.pdf"
refused nofile "a document that is not purged without its file: refused (damaged bag)" \
	"data/files/1-คู่มือ ป้องกันการทุจริต.pdf for document 1" "which the bag lacks"

mkdir -p "$T/unpurged" && cp -r "$A" "$T/unpurged/"
edit_docs "$T/unpurged/ita-2567" 3 'd["purged_at"] = d["purged_by"] = d["purged_reason"] = None'
refused unpurged "a record without a file that is not marked purged: refused" "document 3, which the bag lacks"

mkdir -p "$T/withfile" && cp -r "$A" "$T/withfile/"
printf 'bytes that were purged\n' >"$T/withfile/ita-2567/data/files/3-ร้องเรียน zebraold.txt"
edit_docs "$T/withfile/ita-2567" 3 'd["path"] = "files/3-ร้องเรียน zebraold.txt"'
refused withfile "a purged document that has a file in the bag: refused" "document 3 is purged but has a file"

# versions: a loop is refused; a version of a document outside the bag is
# restored without that link (there is nothing for it to name), with a warning
mkdir -p "$T/loop" && cp -r "$A" "$T/loop/"
edit_docs "$T/loop/ita-2567" 3 'd["supersedes"] = 4'
refused loop "documents that supersede each other: refused" "document 3" "cycle"
mkdir -p "$T/outside" && cp -r "$A" "$T/outside/"
edit_docs "$T/outside/ita-2567" 4 'd["supersedes"] = 99'
rebag "$T/outside/ita-2567" && (cd "$T/outside" && zip -qrD ../outside.zip ita-2567)
run --data "$T/d-outside" import-bundle "$T/outside.zip"
[ "$RC" -eq 0 ] && [[ "$ERR" == *"document 4 supersedes document 99"* ]] &&
	[ "$(LAKTHAN_DATA="$T/d-outside" sql "SELECT count(*) FROM document WHERE supersedes IS NOT NULL")" = 0 ] &&
	ok "a version of a document the bag lacks: restored without that link, with a warning" || fail "outside version" "$RC $ERR"
