# search: ingest real files with the real binary, then `lakthan search`.
. tests/integration/lib.sh

cp "$FIX/thai-source.txt" "$T/มาตรการ-2567.txt"
printf 'คู่มือการยืมพัสดุ\nการยืมและการคืนพัสดุของ อบต. ต้องทำตามระเบียบ <b>E-Service</b> i19\n' > "$T/manual.txt"
printf 'รายงานการประชุมประจำเดือน\nไม่มีคำที่ค้นหา\n' > "$T/minutes.txt"
run ingest --year 2567 --json "$T/มาตรการ-2567.txt" "$T/manual.txt"
expect_rc "two files ingested for 2567" 0
run ingest --year 2566 --title "รายงานการประชุม" "$T/minutes.txt"
expect_rc "one file ingested for 2566" 0

# search by title and file name works whatever the extractor did
run search --json รายงานการประชุม
expect_rc "search exits 0" 0
echo "$OUT" > "$T/s1"
[ "$(jsonl 'j["total"]' "$T/s1")" = 1 ] && ok "a title is found" || fail "title search" "$OUT"
[ "$(jsonl 'sorted(j["results"][0].keys()) == sorted(["id","title","filename","mime","year","score","snippet","measures","questions","superseded_by"])' "$T/s1")" = True ] \
	&& ok "--json results carry the contract's fields" || fail "contract fields" "$OUT"
run search --json manual
echo "$OUT" > "$T/s2"
[ "$(jsonl 'j["results"][0]["filename"]' "$T/s2")" = manual.txt ] && ok "a file name is found" || fail "filename search" "$OUT"

# body text: only when extraction produced text (another module)
status=$(sql "SELECT text_status FROM document WHERE filename = 'manual.txt'")
if [ "$status" != ok ]; then
	for d in "Thai word inside a run" "Thai digits equal ASCII digits" "phrase of two words" "place name no dictionary has" "snippet is HTML-escaped with <mark>" "exclusion"; do
		echo "ok $((_n += 1)) - $d # SKIP extraction gave '$status'"
	done
else
	run search --json ทุจริต
	echo "$OUT" > "$T/s3"
	[ "$(jsonl 'j["results"][0]["filename"]' "$T/s3")" = "มาตรการ-2567.txt" ] && ok "Thai word inside a run" || fail "ทุจริต" "$OUT"
	run search --json ๒๕๖๗
	a=$OUT
	run search --json 2567
	[ "$a" = "$OUT" ] && [[ "$OUT" == *'"total":1'* ]] && ok "Thai digits equal ASCII digits" || fail "digits" "$a" "$OUT"
	run search --json 'คู่มือ การยืม'
	echo "$OUT" > "$T/s4"
	[ "$(jsonl 'j["results"][0]["filename"]' "$T/s4")" = manual.txt ] && ok "phrase of two words" || fail "คู่มือ การยืม" "$OUT"
	run search --json โคกหินแฮ่
	[[ "$OUT" == *'"total":1'* ]] && ok "place name no dictionary has" || fail "โคกหินแฮ่" "$OUT"
	run search --json e-service
	[[ "$OUT" == *'&lt;b&gt;<mark>E-Service</mark>&lt;/b&gt;'* ]] && ok "snippet is HTML-escaped with <mark>" || fail "snippet" "$OUT"
	run search --json 'พัสดุ -ระเบียบ'
	[[ "$OUT" == *'"total":0'* ]] && ok "exclusion" || fail "exclusion" "$OUT"
fi

# filters
run search --json --year 2566 รายงาน
[[ "$OUT" == *'"total":1'* && "$OUT" == *'"year":2566'* ]] && ok "--year filters" || fail "--year" "$OUT"
run search --json 'year:2567 type:txt'
echo "$OUT" > "$T/s5"
[ "$(jsonl 'j["total"]' "$T/s5")" = 2 ] && ok "filters alone list documents" || fail "filters alone" "$OUT"
run search --json --limit 1 --offset 1 'type:txt'
echo "$OUT" > "$T/s6"
[ "$(jsonl 'str(j["total"]) + " " + str(len(j["results"]))' "$T/s6")" = "3 1" ] && ok "--limit and --offset keep the total" || fail "limit" "$OUT"
# question:/measure: filters answer from the plan's links (test_plan.sh
# covers them with a plan): with no links, nothing is found
run search --json --question i19 ทุจริต
expect_rc "question filter without plan links runs" 0
[[ "$OUT" == '{"total":0,'* ]] && ok "and finds nothing" || fail "plan links" "$OUT" "$ERR"
run search --json --measure 1.x ทุจริต
expect_rc "a malformed measure code is a usage error" 2
run search --year 2024 x
expect_rc "a CE year is refused" 2

# bad queries: a result or one clear line, never a crash or SQL
for q in '"ทุจริต' 'NEAR(' 'AND (' '^' ':' 'title:x' '(((' '"'; do
	run search --json "$q"
	if { [ "$RC" -eq 0 ] && [[ "$OUT" == '{"total":'* ]]; } || { [ "$RC" -eq 2 ] && [[ "$ERR" == "lakthan: search: "* ]]; }; then
		ok "query $q: results or a clear error"
	else
		fail "query $q" "rc $RC" "$OUT" "$ERR"
	fi
done
for q in '   ' $'\xff\xfe' "$(head -c 10240 /dev/zero | tr '\0' a)" '-ทุจริต'; do
	run search "$q"
	[ "$RC" -eq 2 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && [[ "$ERR" == "lakthan: search: "* ]] \
		&& ok "query '${q:0:12}': one clear error line, exit 2" || fail "bad query ${q:0:12}" "rc $RC" "$ERR"
done
run search
expect_rc "no query at all is a usage error" 2
run search --help
expect_rc "search --help" 0

# the index is checked against the documents
run verify
expect_rc "verify is clean after searching" 0
echo "1..$_n"
