# Bad inputs in one batch: each gets a clear per-file error or a clean
# text_status, the good files still go in, and verify stays clean.
. tests/integration/lib.sh

B="$T/batch"
mkdir -p "$B/unreadable-dir"
: > "$B/empty.txt"
cp "$FIX/truncated.pdf" "$FIX/random.pdf" "$FIX/encrypted.pdf" "$FIX/bomb.docx" "$B/"
cp "$FIX/traversal.zip" "$FIX/longname.zip" "$B/"
cp "$FIX/thai.docx" "$B/good.docx"
printf 'legacy name\n' > "$B/$(printf 'bad-\xff\xfe-name.txt')"
printf 'TIS-620 name\n' > "$B/$(printf '\xc3\xd2\xc2\xa7\xd2\xb9.txt')"   # "รายงาน" in TIS-620
printf 'secret\n' > "$B/unreadable-dir/locked.txt"
chmod 000 "$B/unreadable-dir/locked.txt"
ln -s loop-a "$B/loop-b"; ln -s loop-b "$B/loop-a"
mkfifo "$B/a-fifo"
ln -s loop-on-cmdline "$T/loop-on-cmdline"   # a link to itself

# as root, permissions do not bite: run as nobody so "unreadable" is real
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	chmod -R a+rwX "$T"; chmod 000 "$B/unreadable-dir/locked.txt"
fi
"${as_user[@]}" env LAKTHAN_DATA="$LAKTHAN_DATA" "$LAKTHAN" ingest --json "$B" "$T/loop-on-cmdline" >"$T/out" 2>"$T/err" </dev/null
RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
expect_rc "a batch with rejected files exits 1" 1
echo "$OUT" > "$T/lines"
jsonl 'j["path"].rsplit("/",1)[-1] + "\t" + j["status"] + "\t" + str(j["text_status"]) + "\t" + str(j["error"])' "$T/lines" > "$T/table"

row() { grep -F -- "$1" "$T/table" | head -1; }
expect_row() {  # DESC PATTERN-IN-NAME EXPECTED-REGEX
	local r; r=$(row "$2")
	if [[ "$r" =~ $3 ]]; then ok "$1"; else fail "$1" "row: $r" "wanted: $3"; fi
}
expect_row "0-byte file: rejected as empty" "empty.txt" $'rejected\tNone\t.*empty file'
expect_row "truncated PDF: stored, text failed" "truncated.pdf" $'added\tfailed: '
expect_row "random bytes named .pdf: stored, text failed or unsupported" "random.pdf" $'added\t(failed: |unsupported)'
expect_row "encrypted PDF: stored, failed: encrypted" "encrypted.pdf" $'added\tfailed: .*encrypt'
expect_row "zip-bomb DOCX: stored, failed with the limit" "bomb.docx" $'added\tfailed: .*(limit|bomb)'
expect_row "ZIP entry with ..: rejected as unsafe" "evil.txt" $'rejected\tNone\tunsafe name'
expect_row "ZIP entry with an absolute name: rejected" "abs.txt" $'rejected\tNone\tunsafe name'
expect_row "ZIP symlink entry: rejected" "link" $'rejected\tNone\t.*link'
expect_row "unreadable file: rejected with the reason" "locked.txt" $'rejected\tNone\tPermission denied'
expect_row "symlink loop inside a folder: not followed" "loop-a" $'rejected\tNone\tsymbolic link'
expect_row "symlink loop on the command line: rejected" "loop-on-cmdline" $'rejected\tNone\t'
expect_row "FIFO: rejected, no hang" "a-fifo" $'rejected\tNone\tnot a regular file'
expect_row "good DOCX in the same batch: added with text" "good.docx" $'added\tok'
[ "$(sql "SELECT count(*) FROM document WHERE filename LIKE 'bad-%-name.txt' AND filename LIKE '%�%'")" = 1 ] \
	&& ok "invalid UTF-8 file name stored with U+FFFD" || fail "invalid UTF-8 name" "$(sql 'SELECT filename FROM document')"
[ "$(sql "SELECT count(*) FROM document WHERE filename = 'รายงาน.txt'")" = 1 ] \
	&& ok "a TIS-620 file name is read as Thai" || fail "TIS-620 name" "$(sql 'SELECT filename FROM document')"
long=$(sql "SELECT length(CAST(filename AS BLOB)) FROM document WHERE filename LIKE 'กกกก%'")
[ "${long:-0}" -ge 300 ] && ok "a 300-byte file name (in a ZIP) is kept whole ($long bytes)" || fail "long name" "$long"
nrej=$(jsonl 'j["status"] if j["status"] == "rejected" else None' "$T/lines" | wc -l)
[[ "$nrej" -ge 9 && "$ERR" == *"$nrej rejected"* ]] && ok "the summary on stderr counts the $nrej rejected files" || fail "rejected summary" "json: $nrej" "stderr: ${ERR:0:400}"
[ -z "$(ls -A "$LAKTHAN_DATA/blobs/tmp")" ] && ok "no temp file left behind" || fail "temp files left" "$(ls "$LAKTHAN_DATA/blobs/tmp")"
run verify
expect_rc "verify stays clean after the bad batch" 0

# the disk fills up mid-write: the file is rejected, nothing half-written stays
printf 'x%.0s' $(seq 1 5000) > "$T/big.txt"
LAKTHAN_TEST_ENOSPC_AFTER=1000 "$LAKTHAN" ingest --json "$T/big.txt" "$FIX/thai-source.txt" >"$T/out" 2>"$T/err"
RC=$?; OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
expect_rc "disk full: the batch exits 1" 1
echo "$OUT" > "$T/full"
[[ "$(jsonl 'j["error"] if j["path"].endswith("big.txt") else None' "$T/full")" == *"No space left"* ]] && ok "disk full: the file is rejected with the reason" || fail "disk full reason" "$OUT"
[ -z "$(ls -A "$LAKTHAN_DATA/blobs/tmp")" ] && ok "disk full: no partial file left" || fail "partial left"
[ "$(sql "SELECT count(*) FROM document WHERE filename = 'big.txt'")" = 0 ] && ok "disk full: no row for the failed file" || fail "row for failed file"
run verify
expect_rc "verify is clean after a disk-full ingest" 0
