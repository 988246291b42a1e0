# plan: import the seed report, link documents, coverage, search filters,
# plan editing and the bad inputs, all through the real binary.
. tests/integration/lib.sh

SEED=$(pwd)/docs/examples/ita-measures-report-2567-khokhinhae.txt
dump() { sql "SELECT 'i', id, year, number, title FROM plan_issue UNION ALL
	SELECT 'r', id, issue_id, position, status || '|' || unresolved FROM plan_row UNION ALL
	SELECT 't', row_id, kind, position, text FROM plan_text UNION ALL
	SELECT 'm', id, issue_id, position, row_id || '|' || text FROM measure UNION ALL
	SELECT 'q', id, year, code, text || '|' || source FROM question UNION ALL
	SELECT 'rq', row_id, question_id, '', '' FROM row_question ORDER BY 1, 2, 3, 4"; }

# --- the seed ---
run import-plan --json "$SEED"
expect_rc "the seed report imports" 0
echo "$OUT" > "$T/imp1"
[ "$(jsonl 'j["year"], j["issues"], j["measures"]' "$T/imp1")" = "(2567, 7, 24)" ] \
	&& ok "7 issues and 24 measures for 2567" || fail "seed counts" "$OUT"
[ "$(jsonl '" ".join(j["questions"])' "$T/imp1")" = "e11 e12 e15 i7 i8 i15 i18 i19 i20 i26 i29 o39 o40 o41" ] \
	&& ok "the questions the plan cites, resolved" || fail "seed questions" "$OUT"
[ "$(sql "SELECT count(*) FROM plan_issue WHERE year = 2567") $(sql "SELECT count(*) FROM measure")" = "7 24" ] \
	&& ok "the database holds them" || fail "db counts"
[ "$(sql "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM measure m JOIN plan_issue i ON i.id = m.issue_id GROUP BY i.number ORDER BY i.number)")" = "4 4 2 3 2 5 4" ] \
	&& ok "measures per issue: 4 4 2 3 2 5 4" || fail "per issue" "$(sql "SELECT issue_id, count(*) FROM measure GROUP BY 1")"
[[ "$ERR" == *"line 38: warning: question ๑๖ has lost its letter"* ]] && ok "a lost letter is a warning with its line" || fail "lost letter" "$ERR"
[[ "$ERR" == *"line 30: warning: 039 read as o39"* ]] && ok "๐๓๙ read as o39, said with its line" || fail "zero as o" "$ERR"
[ "$(sql "SELECT unresolved LIKE '๑๖ %' FROM plan_row r JOIN plan_issue i ON i.id = r.issue_id WHERE i.number = 3")" = 1 ] \
	&& ok "the unresolved reference is kept with its row" || fail "unresolved kept"
[ "$(sql "SELECT status FROM plan_row r JOIN plan_issue i ON i.id = r.issue_id WHERE i.number = 2")" = "ดำเนินการแล้วเสร็จ" ] \
	&& ok "the bold status of the results cell" || fail "status"
[ "$(sql "SELECT count(*) FROM plan_text WHERE kind = 'result'")" -ge 14 ] && ok "results stored" || fail "results"
[ "$(sql "SELECT title FROM plan_issue WHERE number = 2")" = "การให้บริการและระบบ E-Service" ] && ok "issue titles without their number" || fail "title"

# --- idempotent ---
dump > "$T/dump1"
run import-plan --json "$SEED"
echo "$OUT" > "$T/imp2"
dump > "$T/dump2"
cmp -s "$T/dump1" "$T/dump2" && [ "$(jsonl 'j["changes"]' "$T/imp2")" = 0 ] \
	&& ok "importing twice changes nothing" || fail "idempotent" "$(diff "$T/dump1" "$T/dump2" | head -5)"
run import-plan "$SEED"
[[ "$OUT" == *"unchanged"* ]] && ok "and says so" || fail "unchanged" "$OUT"

# --- links ---
printf 'คู่มือการปฏิบัติงาน การยืม - คืนทรัพย์สินของทางราชการ ลงวันที่ ๑ มีนาคม ๒๕๖๗\n' > "$T/asset.txt"
printf 'รายงานการประชุมประจำเดือน งบประมาณ\n' > "$T/old.txt"
run ingest --year 2567 "$T/asset.txt"
run ingest --year 2566 "$T/old.txt"
run link 1 --measure 4.1 --question e๑๑
expect_rc "link a document to a measure and a question" 0
[ "$(sql "SELECT count(*) FROM document_link WHERE document_id = 1 AND linked_by LIKE 'cli:%' AND linked_at <> ''")" = 2 ] \
	&& ok "links record who and when" || fail "who/when"
run link 1 --measure 9.9
expect_rc "a measure that does not exist is bad input" 2
[[ "$ERR" == "lakthan: link: "*"measure 9.9 does not exist in the 2567 plan"* ]] && ok "and says which" || fail "9.9 message" "$ERR"
run link 1 --measure 4.2 --measure 9.9
[ "$(sql "SELECT count(*) FROM document_link l JOIN measure m ON m.id = l.measure_id WHERE m.position = 2 AND l.document_id = 1")" = 0 ] \
	&& ok "links are all or nothing" || fail "atomic links"
run link 99 --measure 4.1
expect_rc "a document that does not exist" 2
run link 1 --question x1
expect_rc "a malformed question code" 2
run link 2 --measure 5.1 --year 2567
expect_rc "a document of another year may be linked" 0
[[ "$ERR" == *"warning: document 2 is of 2566"* ]] && ok "with a warning" || fail "other year warning" "$ERR"

# --- coverage ---
run coverage --json
expect_rc "coverage --json" 0
echo "$OUT" > "$T/cov"
[ "$(jsonl 'j["measures_total"], j["measures_backed"], j["questions_total"]' "$T/cov")" = "(24, 1, 14)" ] \
	&& ok "one measure backed of 24 (the 2566 document does not count)" || fail "coverage counts" "$OUT"
[ "$(jsonl '[q["code"] for q in j["questions"] if q["backed"]]' "$T/cov")" = "['e11', 'i19', 'i20']" ] \
	&& ok "questions backed directly and through their measure's row" || fail "question coverage" "$OUT"
[ "$(jsonl 'sorted(j.keys())' "$T/cov")" = "['issues', 'measures_backed', 'measures_total', 'questions', 'questions_backed', 'questions_total', 'rule', 'year']" ] \
	&& ok "the contract's fields" || fail "coverage fields" "$OUT"
[ "$(jsonl '[m for m in j["issues"][3]["measures"] if m["code"] == "4.1"][0]["documents"]' "$T/cov")" = "[{'id': 1, 'title': 'asset'}]" ] \
	&& ok "a backed measure lists its documents" || fail "documents" "$OUT"
run coverage
expect_rc "coverage as a table" 0
first_measure=$(echo "$OUT" | grep -m1 -E '^  [✓✗]')
[[ "$OUT" == *"Rule: a measure is backed in year Y"* && "$OUT" == *"Measures without evidence (23)"* && "$first_measure" == *"✗ 1.1"* ]] \
	&& ok "the table states its rule and shows the gaps first" || fail "coverage table" "$OUT"
[[ "$OUT" == *"✓ 4.1"* && "$OUT" == *"1 of 24 (4%)"* ]] && ok "✓ for a backed measure, counts" || fail "ticks" "$OUT"
run coverage --year 2560
expect_rc "coverage of a year without a plan" 2

# --- review states ---
run link 1 --measure 4.1 --reject --comment "ไม่ใช่หลักฐาน"
expect_rc "an assessor rejects a link" 0
run coverage --json
echo "$OUT" > "$T/cov2"
[ "$(jsonl 'j["measures_backed"]' "$T/cov2")" = 0 ] && ok "a rejected link backs nothing" || fail "rejected" "$OUT"
[ "$(sql "SELECT state || '|' || comment FROM document_link l JOIN measure m ON m.id = l.measure_id WHERE l.document_id = 1")" = "rejected|ไม่ใช่หลักฐาน" ] \
	&& ok "the review keeps its comment" || fail "comment"
run link 1 --measure 4.1 --accept
expect_rc "and accepts it again" 0

# --- search filters ---
run search --json --question i19 ทรัพย์สิน
expect_rc "search with --question" 0
echo "$OUT" > "$T/s1"
[ "$(jsonl 'j["total"], j["results"][0]["id"], j["results"][0]["measures"], j["results"][0]["questions"]' "$T/s1")" = "(1, 1, ['4.1'], ['e11', 'i19', 'i20'])" ] \
	&& ok "question: through the measure's row; results carry their links" || fail "question filter" "$OUT"
run search --json 'measure:๕.๑'
echo "$OUT" > "$T/s2"
[ "$(jsonl '[r["id"] for r in j["results"]]' "$T/s2")" = "[2]" ] && ok "measure: filter in the query" || fail "measure filter" "$OUT"
run search --json --question e15 ทรัพย์สิน
[[ "$OUT" == '{"total":0'* ]] && ok "a question nothing supports finds nothing" || fail "e15" "$OUT"

# --- a corrected report keeps links ---
m41=$(sql "SELECT m.id FROM measure m JOIN plan_issue i ON i.id = m.issue_id WHERE i.number = 4 AND m.position = 1")
sed 's/กำหนดหรือระบุแนวทางการใช้ทรัพย์สินของราชการ/กำหนดแนวทางการใช้ทรัพย์สินของทางราชการ/; s/<p><b>๑๖<\/b> หน่วยงาน/<p><b>o๑๖<\/b> หน่วยงาน/' "$SEED" > "$T/corrected.txt"
run import-plan --json "$T/corrected.txt"
expect_rc "a corrected report imports" 0
[ "$(sql "SELECT id FROM measure WHERE text LIKE 'กำหนดแนวทางการใช้ทรัพย์สินของทางราชการ%'")" = "$m41" ] \
	&& ok "the corrected measure keeps its id" || fail "stable id"
[ "$(sql "SELECT count(*) FROM document_link WHERE measure_id = $m41")" = 1 ] && ok "and its link" || fail "link kept"
[ "$(sql "SELECT count(*) FROM question WHERE code = 'o16'")" = 1 ] && ok "a corrected code now resolves" || fail "o16"

# --- a report that drops a measure with evidence ---
python3 - "$SEED" "$T/dropped.txt" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace("<p>- กำหนดหรือระบุแนวทางการใช้ทรัพย์สินของราชการไว้ในคู่มือมาตรฐานการปฏิบัติงาน โดยมีการตรวจสอบวัสดุและครุภัณฑ์ในแต่ละส่วนงานเป็นระยะ</p> ", "")
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
run link 1 --measure 4.3
run import-plan "$T/dropped.txt"
expect_rc "a report without a measure that has evidence is refused" 2
[[ "$ERR" == *"measure 4.1 (its code before this import) has evidence"*"--force"* ]] && ok "naming the measure and the way out" || fail "drop message" "$ERR"
[ "$(sql "SELECT count(*) FROM measure")" = 24 ] && ok "and nothing was imported" || fail "partial import"

# --- bad inputs ---
: > "$T/empty.txt"
run import-plan "$T/empty.txt"
expect_rc "an empty file" 2
[[ "$ERR" == *"the file is empty; nothing was imported"* ]] && ok "says it is empty" || fail "empty" "$ERR"
run import-plan "$FIX/thai.pdf"
expect_rc "a PDF" 2
[[ "$ERR" == *"this is a PDF"* ]] && ok "says it is a PDF" || fail "pdf" "$ERR"
head -c 4096 /dev/urandom > "$T/random.bin"
run import-plan "$T/random.bin"
expect_rc "random bytes" 2
[[ "$ERR" == *"line "*"not UTF-8 text"* ]] && ok "names the first line that is not text" || fail "random" "$ERR"
sed '45s/\t<p>บุคลากรในหน่วยงานบางราย/<p>บุคลากรในหน่วยงานบางราย/' "$SEED" > "$T/missing.txt"
run import-plan "$T/missing.txt"
expect_rc "a row missing a cell" 2
[[ "$ERR" == *"line 45: the row has 5 cells where the table has 6"* ]] && ok "names the line" || fail "missing cell" "$ERR"
printf 'ไม่มีตาราง\nแค่ข้อความ\n' > "$T/prose.txt"
run import-plan --year 2567 "$T/prose.txt"
expect_rc "text without a table" 2
sed 's/i๑๙ ท่านรู้/i๙๙ ท่านรู้/' "$SEED" > "$T/unknown.txt"
run import-plan --year 2568 "$T/unknown.txt"
expect_rc "the title's year against --year" 2
run import-plan "$T/unknown.txt"
expect_rc "an unknown question code imports" 0
[[ "$ERR" == *"line 45: warning: question i99 is not in the ITA catalog"* ]] && ok "with a warning and its line" || fail "unknown code" "$ERR"
run import-plan --year 2024 "$SEED"
expect_rc "a CE year is refused" 2

# --- plan editing ---
run plan show --json
expect_rc "plan show --json" 0
echo "$OUT" > "$T/plan"
[ "$(jsonl 'len(j["issues"]), j["issues"][0]["rows"][1]["measures"][0]["code"], [q["code"] for q in j["issues"][0]["rows"][1]["questions"]]' "$T/plan")" = "(7, '1.4', ['o39', 'o40', 'o41'])" ] \
	&& ok "the plan as JSON: a continuation row with its own questions" || fail "plan json" "${OUT:0:300}"
run plan delete-measure 4.3
expect_rc "deleting a measure with evidence is refused" 2
[[ "$ERR" == *"measure 4.3 has 1 evidence link"*"--force"* ]] && ok "saying how many links" || fail "delete refused" "$ERR"
run plan delete-measure 4.3 --force
expect_rc "unless forced" 0
[ "$(sql "SELECT count(*) FROM measure") $(sql "SELECT count(*) FROM document_link l JOIN measure m ON m.id = l.measure_id WHERE m.position = 3 AND l.document_id = 1")" = "23 0" ] \
	&& ok "the measure and its links are gone" || fail "forced delete"
run plan add-issue 8 "ประเด็นใหม่"
expect_rc "add an issue" 0
run plan add-measure 8 "จัดทำคู่มือใหม่"
[[ "$OUT" == *"measure 8.1 added"* ]] && ok "add a measure: its code" || fail "add measure" "$OUT" "$ERR"
run plan edit-measure 8.1 "จัดทำคู่มือฉบับใหม่"
expect_rc "edit a measure" 0
run plan questions 8.1 i19 I20
expect_rc "set the questions of its row" 0
[ "$(sql "SELECT group_concat(code, ' ') FROM (SELECT q.code FROM row_question rq JOIN question q ON q.id = rq.question_id JOIN measure m ON m.row_id = rq.row_id WHERE m.text = 'จัดทำคู่มือฉบับใหม่' ORDER BY q.code)")" = "i19 i20" ] \
	&& ok "the questions are stored" || fail "questions"
run plan questions 8.1 x9
expect_rc "a bad question code" 2
run plan add-issue 8 "ซ้ำ"
expect_rc "an issue number taken" 2
run plan rename-issue 8 "ประเด็นที่แปด"
expect_rc "rename an issue" 0
run plan --year 2568 new-year --from 2567
expect_rc "a new year from last year's plan" 0
[ "$(sql "SELECT count(*) FROM measure m JOIN plan_issue i ON i.id = m.issue_id WHERE i.year = 2568") $(sql "SELECT count(*) FROM question WHERE year = 2568")" = "24 $(sql "SELECT count(*) FROM question WHERE year = 2567")" ] \
	&& ok "its measures and questions are copied" || fail "new year"
run coverage --year 2568 --json
echo "$OUT" > "$T/cov3"
[ "$(jsonl 'j["measures_backed"]' "$T/cov3")" = 0 ] && ok "with no links carried over" || fail "new year links" "$OUT"
run plan frobnicate
expect_rc "an unknown subcommand" 2
for c in import-plan link coverage suggest plan; do
	run $c --help
	[ "$RC" = 0 ] && [[ "$OUT" == "usage: lakthan $c"* ]] && ok "$c --help" || fail "$c --help" "$OUT"
done

# --- a forced import of a report without a linked measure ---
m42=$(sql "SELECT m.id FROM measure m JOIN plan_issue i ON i.id = m.issue_id WHERE i.year = 2567 AND i.number = 4 AND m.position = 2")
run link 1 --measure 4.2
run import-plan --force "$T/dropped.txt"
expect_rc "--force imports it" 0
[ "$(sql "SELECT position FROM measure WHERE id = $m42")" = 1 ] && ok "the next measure moves up with its id" || fail "realign" "$(sql "SELECT id, position, substr(text, 1, 20) FROM measure WHERE issue_id = 4")"
[ "$(sql "SELECT count(*) FROM document_link WHERE measure_id = $m42") $(sql "SELECT count(*) FROM document_link WHERE measure_id = $m41")" = "1 0" ] \
	&& ok "its link follows; the dropped measure's link is gone" || fail "links after force"
run import-plan --json "$T/dropped.txt"
echo "$OUT" > "$T/imp3"
[ "$(jsonl 'j["changes"], j["measures"]' "$T/imp3")" = "(0, 23)" ] && ok "and importing it again changes nothing" || fail "idempotent after realign" "$OUT"
printf '\357\273\277' > "$T/bom.txt"; cat "$SEED" >> "$T/bom.txt"
run import-plan --json "$T/bom.txt"
echo "$OUT" > "$T/imp4"
[ "$RC" = 0 ] && [ "$(jsonl 'j["measures"]' "$T/imp4")" = 24 ] && ok "a UTF-8 BOM is no trouble" || fail "bom" "$OUT" "$ERR"

# --- the audit trail of the plan: import, links, reviews, edits ---
run link 1 --question i19
run link 1 --question i19 --remove
expect_rc "unlink" 0
acts=$(sql "SELECT group_concat(DISTINCT action) FROM (SELECT action FROM audit ORDER BY action)")
for a in plan.import link unlink link.review plan.issue.add plan.issue.rename plan.measure.add plan.measure.edit plan.measure.delete plan.questions plan.new-year; do
	[[ ",$acts," == *",$a,"* ]] && ok "the audit log records $a" || fail "audit has $a" "$acts"
done
[ "$(sql "SELECT json_extract(detail, '\$.sha256') FROM audit WHERE action = 'plan.import' ORDER BY seq LIMIT 1")" = "$(sha256sum "$SEED" | cut -c1-64)" ] \
	&& ok "the import's record carries the report's SHA-256" || fail "import digest" "$(sql "SELECT detail FROM audit WHERE action = 'plan.import' LIMIT 1")"
[ "$(sql "SELECT json_extract(detail, '\$.removed[0].links') FROM audit WHERE action = 'plan.import' AND json_extract(detail, '\$.force') ORDER BY seq DESC LIMIT 1")" = 1 ] \
	&& ok "a forced import records the measure it removed with its link" || fail "forced import audit" "$(sql "SELECT detail FROM audit WHERE action = 'plan.import'")"
n_imp=$(sql "SELECT count(*) FROM audit WHERE action = 'plan.import'")
run import-plan "$T/bom.txt"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'plan.import'")" = "$n_imp" ] && ok "an import that changes nothing records nothing" || fail "no-op import audited"
[ "$(sql "SELECT actor FROM audit WHERE action = 'link' LIMIT 1")" = "cli:$(id -un)" ] && ok "the CLI records who linked: cli:<login>" || fail "link actor"
run verify
expect_rc "verify: the audit chain of the plan work is sound" 0
check "the chain head is kept outside the database" test -s "$LAKTHAN_DATA/audit-head"
[ "$(cut -d' ' -f1 "$LAKTHAN_DATA/audit-head")" = "$(sql "SELECT max(seq) FROM audit")" ] && ok "audit-head names the last record" || fail "audit-head" "$(cat "$LAKTHAN_DATA/audit-head")"
cp "$LAKTHAN_DATA/lakthan.db" "$T/db.bak"
# a tampered plan-import record
python3 - "$LAKTHAN_DATA/lakthan.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_no_update")
db.execute("UPDATE audit SET detail = replace(detail, '\"force\":true', '\"force\":false') WHERE action = 'plan.import'")
db.commit()
PY
seq_f=$(sql "SELECT min(seq) FROM audit WHERE action = 'plan.import' AND detail LIKE '%\"links\":1%'")
run verify
expect_rc "an edited plan.import record makes verify exit 1" 1
[[ "$OUT" == *"audit_chain"*"record $seq_f "* ]] && ok "verify names the edited plan.import record" || fail "names record $seq_f" "$OUT"
# the last record deleted: the chain is sound as far as it goes, the head is not
cp "$T/db.bak" "$LAKTHAN_DATA/lakthan.db"; rm -f "$LAKTHAN_DATA/lakthan.db-wal" "$LAKTHAN_DATA/lakthan.db-shm"
run verify
expect_rc "the restored copy verifies" 0
last=$(sql "SELECT max(seq) FROM audit")
python3 - "$LAKTHAN_DATA/lakthan.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_no_delete")
db.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
db.commit()
PY
run verify
expect_rc "deleting the last audit record makes verify exit 1" 1
[[ "$OUT" == *"record $last"*"missing"* ]] && ok "verify says record $last is missing" || fail "cut log" "$OUT"
