# Versions and purge: a document that supersedes another (upload, CLI,
# PATCH; refused when missing, itself, a cycle or taken), and the admin's
# purge of a withdrawn document (its bytes, text and index entry go; the row,
# the audit and a clean verify stay; the bundle keeps the row without the file).
. tests/integration/lib.sh

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
for u in admin:admin staff1:staff; do
	echo "password-${u%%:*}" | "$LAKTHAN" user add "${u%%:*}" --role "${u##*:}" >/dev/null 2>&1
done
TSTAFF=$("$LAKTHAN" user token staff1)
TADMIN=$("$LAKTHAN" user token admin)

# CLI: --supersedes
printf 'ระเบียบการจัดซื้อจัดจ้าง ฉบับที่ ๑ ปี 2567\n' > "$T/v1.txt"
printf 'ระเบียบการจัดซื้อจัดจ้าง ฉบับที่ ๒ ปี 2567\n' > "$T/v2.txt"
printf 'ระเบียบการจัดซื้อจัดจ้าง ฉบับที่ ๓ ปี 2567\n' > "$T/v3.txt"
run ingest --year 2567 --json "$T/v1.txt"
V1=$(echo "$OUT" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
run ingest --year 2567 --supersedes 999 "$T/v2.txt"
expect_rc "ingest --supersedes an unknown document: exit 2" 2
[[ "$ERR" == *"no document 999"* ]] && [ "$(sql 'SELECT count(*) FROM document')" = 1 ] &&
	ok "... with a clear message, nothing ingested" || fail "unknown target" "$ERR"
run ingest --year 2567 --supersedes "$V1" "$T/v2.txt" "$T/v3.txt"
expect_rc "ingest --supersedes with two files: exit 2" 2
run ingest --year 2567 --json --supersedes "$V1" "$T/v2.txt"
expect_rc "ingest --supersedes a document" 0
V2=$(echo "$OUT" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
[ "$(sql "SELECT supersedes FROM document WHERE id = $V2")" = "$V1" ] && ok "the new document supersedes the old" || fail "supersedes column"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'supersede' AND object = 'document:$V2'")" = 1 ] &&
	ok "the supersede is audited" || fail "supersede audit"
run ingest --year 2567 --supersedes "$V1" "$T/v3.txt"
expect_rc "a document already superseded cannot be superseded again: exit 2" 2
[[ "$ERR" == *"already superseded by document $V2"* ]] && ok "... saying by which" || fail "taken message" "$ERR"

"$LAKTHAN" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done
req() {
	local m=$1 p=$2; shift 2
	S=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" "$@" "$URL$p")
	B=$(cat "$T/b")
}
expect() { if [ "$S" = "$2" ]; then ok "$1"; else fail "$1" "status $S, wanted $2" "body: ${B:0:400}"; fi; }
j() { python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$T/b"; }
STAFF=(-H "Authorization: Bearer $TSTAFF")
ADMIN=(-H "Authorization: Bearer $TADMIN")

req GET "/api/documents/$V1" "${STAFF[@]}"
[ "$(j 'j["superseded_by"]')" = "$V2" ] && [ "$(j 'j["supersedes"]')" = None ] && ok "GET shows superseded_by on the old version" || fail "superseded_by" "$B"
req GET "/api/search?q=จัดซื้อจัดจ้าง" "${STAFF[@]}"
[ "$(j 'len(j["results"])')" = 2 ] && [ "$(j '[r["superseded_by"] for r in j["results"] if r["id"] == '"$V1"'][0]')" = "$V2" ] &&
	ok "the old version stays searchable, its result names superseded_by" || fail "search superseded_by" "$B"

# upload with supersedes
req POST /api/documents "${STAFF[@]}" -F "file=@$T/v3.txt" -F year=2567 -F supersedes=$V1
expect "upload superseding a superseded document: 409" 409
req POST /api/documents "${STAFF[@]}" -F "file=@$T/v3.txt" -F supersedes=abc
expect "upload with a non-numeric supersedes: 400" 400
req POST /api/documents "${STAFF[@]}" -F "file=@$T/v3.txt" -F supersedes=424242
expect "upload superseding an unknown document: 422" 422
req POST /api/documents "${STAFF[@]}" -F "file=@$T/v3.txt" -F year=2567 -F supersedes=$V2
expect "upload superseding v2: 201" 201
V3=$(j 'j["documents"][0]["id"]')
req GET "/api/documents/$V3" "${STAFF[@]}"
[ "$(j 'j["supersedes"]')" = "$V2" ] && ok "the upload supersedes v2" || fail "upload supersedes" "$B"

# PATCH: itself, cycle, unknown, then a good one
printf 'ประกาศเผยแพร่แผนจัดซื้อ\n' > "$T/p1.txt"
printf 'ประกาศเผยแพร่แผนจัดซื้อ ฉบับแก้ไข\n' > "$T/p2.txt"
req POST /api/documents "${STAFF[@]}" -F "file=@$T/p1.txt"
P1=$(j 'j["documents"][0]["id"]')
req POST /api/documents "${STAFF[@]}" -F "file=@$T/p2.txt"
P2=$(j 'j["documents"][0]["id"]')
req PATCH "/api/documents/$P1" "${STAFF[@]}" -d "{\"supersedes\":$P1}"
expect "PATCH supersedes itself: 422" 422
req PATCH "/api/documents/$V1" "${STAFF[@]}" -d "{\"supersedes\":$V3}"
expect "PATCH that would form a cycle: 422" 422
[[ "$(j 'j["error"]["message"]')" == *cycle* ]] && ok "... saying it is a cycle" || fail "cycle message" "$B"
req PATCH "/api/documents/$P2" "${STAFF[@]}" -d '{"supersedes":777777}'
expect "PATCH superseding an unknown document: 422" 422
req PATCH "/api/documents/$P2" "${STAFF[@]}" -d "{\"supersedes\":$P1, \"title\":\"ประกาศ ฉบับแก้ไข\"}"
expect "PATCH supersedes (with a title edit)" 200
[ "$(j 'j["supersedes"]')" = "$P1" ] && [ "$(j 'j["title"]')" = "ประกาศ ฉบับแก้ไข" ] && ok "PATCH sets supersedes and the title" || fail "patch" "$B"
[ "$(sql "SELECT group_concat(action) FROM (SELECT action FROM audit WHERE object = 'document:$P2' ORDER BY seq)")" = "upload,edit,supersede" ] &&
	ok "edit and supersede audited" || fail "patch audit" "$(sql "SELECT action FROM audit WHERE object = 'document:$P2'")"
req PATCH "/api/documents/$V3" "${STAFF[@]}" -d "{\"supersedes\":$P1}"
expect "PATCH superseding a document superseded by another: 409" 409

# purge
SHA=$(sql "SELECT sha256 FROM document WHERE id = $P1")
BLOB="$LAKTHAN_DATA/blobs/${SHA:0:2}/${SHA:2:2}/$SHA"
req POST "/api/documents/$P1/purge" "${STAFF[@]}" -d '{"reason":"x"}'
expect "staff may not purge: 403" 403
req POST "/api/documents/$P1/purge" "${ADMIN[@]}" -d '{"reason":"ข้อมูลส่วนบุคคล"}'
expect "purging a document that is not withdrawn: 409" 409
req POST "/api/documents/424242/purge" "${ADMIN[@]}" -d '{"reason":"x"}'
expect "purging no document: 404" 404
req DELETE "/api/documents/$P1" "${STAFF[@]}" -d '{"reason":"มีข้อมูลส่วนบุคคล"}'
expect "withdraw" 200
req POST "/api/documents/$P1/purge" "${ADMIN[@]}" -d '{}'
expect "a purge needs a reason: 400" 400
req POST "/api/documents/$P1/purge" "${ADMIN[@]}" -d '{"reason":"ข้อมูลส่วนบุคคล"}'
expect "admin purges a withdrawn document" 200
[ "$(j 'j["purged_by"]')" = admin ] && [ "$(j 'j["purged_reason"]')" = "ข้อมูลส่วนบุคคล" ] && [ "$(j 'j["purged_at"]')" != None ] &&
	ok "the row stays with purged_at, purged_by, the reason" || fail "purged row" "$B"
[ ! -e "$BLOB" ] && ok "the blob is removed" || fail "blob still there"
[ "$(sql "SELECT count(*) FROM document_text WHERE document_id = $P1")" = 0 ] && ok "the text is removed" || fail "text stays"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'purge' AND object = 'document:$P1'")" = 1 ] && ok "the purge is audited" || fail "purge audit"
req GET "/api/documents/$P1/file" "${STAFF[@]}"
expect "the file of a purged document: 410 Gone" 410
[ "$(j 'j["error"]["code"]')" = purged ] && ok "... with the JSON error" || fail "410 body" "$B"
req POST "/api/documents/$P1/purge" "${ADMIN[@]}" -d '{"reason":"again"}'
expect "purging twice: 409" 409
req GET "/api/search?q=เผยแพร่" "${STAFF[@]}"
[ "$(j '[r["id"] for r in j["results"]]')" = "[$P2]" ] && ok "search finds only the other version" || fail "index entry" "$B"
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null

# CLI purge
run purge "$V1"
expect_rc "purge without --reason: exit 2" 2
run purge "$V1" --reason "ซ้ำ"
expect_rc "CLI purge of a document that is not withdrawn: exit 2" 2
[[ "$ERR" == *"not withdrawn"* ]] && ok "... saying it must be withdrawn first" || fail "purge message" "$ERR"
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("UPDATE document SET withdrawn_at = ?, withdrawn_reason = ? WHERE id = ?", ("2026-01-01T00:00:00Z", "test", int(sys.argv[2]))); d.commit()' "$LAKTHAN_DATA/lakthan.db" "$V1"
run purge "$V1" --reason "ฉบับเก่า"
expect_rc "CLI purge of a withdrawn document" 0

run verify
expect_rc "verify: a purged document's missing blob is not a problem" 0
run search --json "จัดซื้อจัดจ้าง"
[[ "$OUT" != *"\"id\":$V1,"* ]] && ok "a purged document is not found by search" || fail "purged found" "$OUT"

# a bundle keeps the purged row, not its file
run export --year 2567 -o "$T/b.zip"
expect_rc "export with a purged document" 0
unzip -Z1 "$T/b.zip" | grep -q "files/$V1-" && fail "the purged file is in the bundle" || ok "the bundle has no file for the purged document"
unzip -p "$T/b.zip" '*/data/documents.json' > "$T/docs.json"
python3 -c 'import json,sys; d=[x for x in json.load(open(sys.argv[1]))["documents"] if x["id"]==int(sys.argv[2])][0]; sys.exit(0 if d["path"] is None and d["purged_at"] else 1)' "$T/docs.json" "$V1" &&
	ok "... but keeps its metadata row, marked purged" || fail "bundle row" "$(cat "$T/docs.json" | head -50)"
