# The extractor child: a stuck, spinning or crashing extractor costs only
# that file's text, never the batch.
. tests/integration/lib.sh

printf 'plain text one\n' > "$T/one.txt"
printf 'plain text two\n' > "$T/two.txt"
printf 'plain text three\n' > "$T/three.txt"

start=$(date +%s)
LAKTHAN_TEST_EXTRACT_HANG=1 LAKTHAN_EXTRACT_TIMEOUT=2 "$LAKTHAN" ingest --json "$T/one.txt" >"$T/out" 2>&1
took=$(( $(date +%s) - start ))
[[ "$(cat "$T/out")" == *'"text_status":"timeout"'* ]] && ok "a hung extractor is killed: text_status timeout" || fail "hang → timeout" "$(cat "$T/out")"
[ "$took" -lt 15 ] && ok "the wall-clock limit holds (${took}s for a 2 s limit)" || fail "wall clock" "$took s"
# extractor children are forked from a zygote and carry the ingest's command
# line; none may outlive the ingest (killed child, zygote and monitors alike)
sleep 0.5
left=$(pgrep -f "$T/one.txt" || true)
[ -z "$left" ] && ok "no extractor, monitor or zygote process left running" || fail "leftover processes" "$(ps -o pid,args -p $left)"

LAKTHAN_TEST_EXTRACT_CRASH=1 "$LAKTHAN" ingest --json "$T/two.txt" >"$T/out" 2>&1
[[ "$(cat "$T/out")" == *'"text_status":"failed: extractor '* ]] && ok "a crashing extractor gives failed: extractor … (crashed, or ASan's exit)" || fail "crash" "$(cat "$T/out")"

run ingest --json "$T/three.txt"
expect_rc "the archive still works after killed children" 0
[[ "$OUT" == *'"text_status":"ok"'* ]] && ok "a normal extraction after that is ok" || fail "normal after" "$OUT"
run verify
expect_rc "verify is clean" 0
