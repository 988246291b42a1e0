# verify finds every kind of damage and names it.
. tests/integration/lib.sh

cp "$FIX/thai-source.txt" "$T/a.txt"
printf 'second document\n' > "$T/b.txt"
printf 'third document\n' > "$T/c.txt"
run ingest "$T/a.txt" "$T/b.txt" "$T/c.txt"
expect_rc "three files ingested" 0
run verify --json
expect_rc "verify --json on a sound archive exits 0" 0
echo "$OUT" > "$T/v"
[ "$(jsonl 'str(j["ok"]) + " " + str(j["documents"]) + " " + str(j["blobs"])' "$T/v")" = "True 3 3" ] && ok "verify --json counts documents and blobs" || fail "verify json" "$OUT"

blob() { local h; h=$(sql "SELECT sha256 FROM document WHERE filename = '$1'"); echo "$LAKTHAN_DATA/blobs/${h:0:2}/${h:2:2}/$h"; }
ida=$(sql "SELECT id FROM document WHERE filename = 'a.txt'")
idb=$(sql "SELECT id FROM document WHERE filename = 'b.txt'")

# one flipped byte in a stored file
pa=$(blob a.txt)
chmod u+w "$pa"; printf 'X' | dd of="$pa" bs=1 seek=10 conv=notrunc 2>/dev/null
run verify
expect_rc "a changed file makes verify exit 1" 1
[[ "$OUT" == *"corrupt_blob"*"document $ida"* ]] && ok "verify names the changed document" || fail "names corrupt doc" "$OUT"

# a stored file removed
rm "$(blob b.txt)"
run verify --json
expect_rc "a missing file makes verify exit 1" 1
echo "$OUT" > "$T/v2"
kinds=$(jsonl '",".join(sorted(p["kind"] + ":" + str(p["document"]) for p in j["problems"]))' "$T/v2")
[ "$kinds" = "corrupt_blob:$ida,missing_blob:$idb" ] && ok "verify --json lists each problem with its document" || fail "problem list" "$kinds"

# a blob nobody owns (what a crash between blob and row would leave)
mkdir -p "$LAKTHAN_DATA/blobs/00/11"
h=0011$(printf '%060d' 0)
echo orphan > "$LAKTHAN_DATA/blobs/00/11/$h"
run verify
[[ "$OUT" == *"orphan_blob"*"$h"* ]] && ok "verify reports a blob without a document" || fail "orphan" "$OUT"

# leftover temp files of an interrupted write are cleaned, not reported
echo partial > "$LAKTHAN_DATA/blobs/tmp/blob-abcdef"
run verify
check "temp files of interrupted writes are removed on open" test ! -e "$LAKTHAN_DATA/blobs/tmp/blob-abcdef"
