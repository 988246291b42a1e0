# lakthan serve: the plan, questions, coverage, links, suggestions, plan
# editing and account management over HTTP, with roles and the audit trail;
# and `ingest --measure/--question` and the evidence date.
. tests/integration/lib.sh

SEED=$(pwd)/docs/examples/ita-measures-report-2567-khokhinhae.txt
"$LAKTHAN" import-plan "$SEED" >/dev/null 2>&1
for u in admin:admin staff1:staff assess1:assessor arch1:archivist; do
	echo "password-${u%%:*}" | "$LAKTHAN" user add "${u%%:*}" --role "${u##*:}" >/dev/null 2>&1
done
TADMIN=$("$LAKTHAN" user token admin); TSTAFF=$("$LAKTHAN" user token staff1)
TASSESS=$("$LAKTHAN" user token assess1); TARCH=$("$LAKTHAN" user token arch1)

# --- ingest --measure/--question and the evidence date (CLI) ---
printf 'บันทึกข้อความ วันที่ ๑ มีนาคม ๒๕๖๗ เรื่อง การเผยแพร่ข้อมูลการจัดซื้อจัดจ้าง\n' > "$T/memo.txt"
run ingest --year 2567 --measure 9.9 "$T/memo.txt"
expect_rc "ingest --measure of a measure the plan lacks: exit 2" 2
[[ "$ERR" == *"9.9 does not exist"*"nothing was ingested"* ]] && ok "it says so before ingesting" || fail "unknown measure message" "$ERR"
[ "$(sql "SELECT count(*) FROM document")" = 0 ] && ok "and nothing was ingested" || fail "ingested anyway"
run ingest --year 2567 --question x99 "$T/memo.txt"
expect_rc "ingest --question that is not a code: exit 2" 2
run ingest --year 2567 --measure 1.2 --measure ๑.๓ --question I19 --json "$T/memo.txt"
expect_rc "ingest --measure 1.2 --measure ๑.๓ --question I19" 0
DOC=$(sql "SELECT max(id) FROM document")
[ "$(sql "SELECT group_concat(coalesce(i.number || '.' || m.position, q.code), ' ') FROM document_link l LEFT JOIN measure m ON m.id = l.measure_id LEFT JOIN plan_issue i ON i.id = m.issue_id LEFT JOIN question q ON q.id = l.question_id WHERE l.document_id = $DOC ORDER BY l.id")" = "1.2 1.3 i19" ] \
	&& ok "the ingested document is linked to each" || fail "ingest links" "$(sql "SELECT * FROM document_link")"
run ingest --year 2567 --measure 2.1 "$T/memo.txt"
[ "$(sql "SELECT count(*) FROM document_link WHERE document_id = $DOC")" = 4 ] && ok "a duplicate is linked too" || fail "duplicate links"
[ "$(sql "SELECT evidence_date FROM document WHERE id = $DOC")" = 2024-03-01 ] && ok "the evidence date is read from the text at ingest" || fail "evidence date" "$(sql "SELECT evidence_date FROM document")"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$LAKTHAN" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done
req() {
	local m=$1 p=$2 tok=$3; shift 3
	S=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $tok" "$@" "$URL$p")
	B=$(cat "$T/b")
}
expect() { if [ "$S" = "$2" ]; then ok "$1"; else fail "$1" "status $S, wanted $2" "body: ${B:0:400}"; fi; }
j() { python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$T/b"; }

req GET "/api/documents/$DOC" "$TASSESS"
expect "GET a document" 200
[ "$(j 'j["evidence_date"]')" = 2024-03-01 ] && ok "GET /api/documents/{id} shows the evidence date" || fail "evidence_date in API" "$B"

# --- reads: plan, questions, coverage ---
req GET "/api/plan?year=2567" "$TASSESS"
expect "GET /api/plan" 200
[ "$(j 'len(j["issues"]), sum(len(m) for i in j["issues"] for r in i["rows"] for m in [r["measures"]])')" = "(7, 24)" ] && ok "the plan: 7 issues, 24 measures" || fail "plan" "${B:0:300}"
req GET "/api/plan?year=2024" "$TASSESS"
expect "a CE year is a 400" 400
req GET "/api/plan?year=2560" "$TASSESS"
expect "a year without a plan is a 404" 404
curl -s -o /dev/null -w '%{http_code}' "$URL/api/plan?year=2567" | grep -q 401 && ok "no credentials: 401" || fail "plan without credentials"
req GET "/api/questions?year=2567" "$TASSESS"
expect "GET /api/questions" 200
[ "$(j 'sorted(q["code"] for q in j["questions"] if q["evidence_count"])')" = "$("$LAKTHAN" coverage --year 2567 --json | python3 -c 'import json,sys; print(sorted(q["code"] for q in json.load(sys.stdin)["questions"] if q["backed"]))')" ] \
	&& ok "questions with evidence_count" || fail "evidence_count" "${B:0:600}"
for c in I19 "i%E0%B9%91%E0%B9%99" "%20i%2019%20"; do
	req GET "/api/questions/$c?year=2567" "$TASSESS"
	[ "$S" = 200 ] && [ "$(j 'j["code"], j["evidence_count"], j["documents"][0]["id"]')" = "('i19', 1, $DOC)" ] \
		&& ok "GET /api/questions/$c is i19 with its document" || fail "question $c" "$S ${B:0:300}"
done
req GET "/api/questions/zz?year=2567" "$TASSESS"
expect "a question code that is not one: 400" 400
req GET "/api/questions/o99?year=2567" "$TASSESS"
expect "a question neither in the plan nor the catalog: 404" 404
req GET "/api/coverage?year=2567" "$TASSESS"
expect "GET /api/coverage" 200
[ "$(j 'j["year"], j["measures_total"], j["measures_backed"]')" = "(2567, 24, 3)" ] && ok "coverage counts" || fail "coverage" "${B:0:300}"

# --- links ---
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"measure":"3.1"}'
expect "staff links a measure: 201" 201
[ "$(j 'j["result"]')" = added ] && ok "the answer says added" || fail "added" "$B"
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"question":"E 12"}'
expect "staff links a question (normalised): 201" 201
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"measure":"9.9"}'
expect "an unknown measure: 422" 422
[ "$(j 'j["error"]["code"]')" = unknown_measure ] && [[ "$B" == *"9.9 does not exist"* ]] && ok "the error names the measure" || fail "unknown measure" "$B"
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"measure":"x"}'
expect "a measure code that is not one: 400" 400
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"measure":"1.1","question":"i19"}'
expect "both measure and question: 400" 400
req POST "/api/documents/99999/links" "$TSTAFF" -d '{"measure":"1.1"}'
expect "no such document: 404" 404
req POST "/api/documents/$DOC/links" "$TASSESS" -d '{"measure":"1.1"}'
expect "an assessor may not link: 403" 403
req PATCH "/api/documents/$DOC/links" "$TASSESS" -d '{"measure":"3.1","state":"rejected","comment":"ไม่เกี่ยวข้อง"}'
expect "an assessor rejects a link with a comment" 200
[ "$(sql "SELECT state || '|' || comment || '|' || reviewed_by FROM document_link l JOIN measure m ON m.id = l.measure_id JOIN plan_issue i ON i.id = m.issue_id WHERE i.number = 3 AND m.position = 1")" = "rejected|ไม่เกี่ยวข้อง|assess1" ] \
	&& ok "the review is stored with who and the comment" || fail "review" "$(sql "SELECT * FROM document_link")"
req PATCH "/api/documents/$DOC/links" "$TASSESS" -d '{"measure":"3.1","state":"maybe"}'
expect "a review state that is not accepted/rejected: 400" 400
req PATCH "/api/documents/$DOC/links" "$TASSESS" -d '{"measure":"4.1","state":"accepted"}'
expect "reviewing a link that is not there: 404" 404
req DELETE "/api/documents/$DOC/links" "$TSTAFF" -d '{"question":"e12"}'
expect "staff unlinks" 200
req DELETE "/api/documents/$DOC/links" "$TSTAFF" -d '{"question":"e12"}'
expect "unlinking again: 404" 404
req GET "/api/documents/$DOC/links" "$TASSESS"
[ "$S" = 200 ] && [ "$(j 'len(j["links"])')" = 5 ] && ok "GET the document's links" || fail "links list" "$S $B"
req GET "/api/documents/$DOC/suggestions" "$TASSESS"
expect "GET suggestions" 200
[ "$(j 'j["document"], j["year"], j["evidence_date"]')" = "($DOC, 2567, '2024-03-01')" ] && ok "suggestions as suggest --json" || fail "suggestions" "${B:0:300}"

# --- upload with measure and question fields ---
printf 'รายงานการประชุม ๒ เมษายน ๒๕๖๗\n' > "$T/m.txt"
req POST /api/documents "$TSTAFF" -F "file=@$T/m.txt" -F year=2567 -F measure=9.9
expect "an upload naming an unknown measure: 422, nothing stored" 422
req POST /api/documents "$TSTAFF" -F "file=@$T/m.txt" -F year=2567 -F measure=1.4 -F question=i20
expect "an upload with measure and question fields" 201
UP=$(j 'j["documents"][0]["id"]')
req GET "/api/documents/$UP" "$TSTAFF"
[ "$(j 'j["measures"], j["questions"]')" = "(['1.4'], ['i20'])" ] && ok "the upload is linked" || fail "upload links" "$B"

# --- plan editing (admin) ---
req POST /api/plan/issues "$TSTAFF" -d '{"year":2567,"number":8,"title":"x"}'
expect "staff may not edit the plan: 403" 403
req POST /api/plan/issues "$TADMIN" -d '{"year":2567,"number":8,"title":"ประเด็นใหม่"}'
expect "admin adds an issue" 201
req POST /api/plan/issues "$TADMIN" -d '{"year":2567,"number":8,"title":"again"}'
expect "the same issue twice: 409" 409
req PATCH "/api/plan/issues/8?year=2567" "$TADMIN" -d '{"title":"ประเด็นที่แปด"}'
expect "admin renames it" 200
req POST /api/plan/measures "$TADMIN" -d '{"year":2567,"issue":8,"text":"มาตรการใหม่"}'
expect "admin adds a measure" 201
[ "$(j 'j["code"]')" = 8.1 ] && ok "its code is 8.1" || fail "code" "$B"
req PATCH "/api/plan/measures/8.1?year=2567" "$TADMIN" -d '{"text":"มาตรการแก้ไข"}'
expect "admin edits its text" 200
req PUT "/api/plan/measures/8.1/questions?year=2567" "$TADMIN" -d '{"questions":["i19","O 40"]}'
expect "admin sets the row's questions" 200
req PUT "/api/plan/measures/8.1/questions?year=2567" "$TADMIN" -d '{"questions":["q1"]}'
[ "${S:0:1}" = 4 ] && ok "a bad question code: 4xx ($S)" || fail "bad question" "$S $B"
req POST "/api/documents/$DOC/links" "$TSTAFF" -d '{"measure":"8.1"}'
req DELETE "/api/plan/measures/8.1?year=2567" "$TADMIN"
expect "deleting a linked measure: 409" 409
req DELETE "/api/plan/measures/8.1?year=2567&force=1" "$TADMIN"
expect "deleting it with force" 200
[ "$(j 'j["links_removed"]')" = 1 ] && ok "with the link removed" || fail "force delete" "$B"
req PATCH "/api/plan/measures/7.9?year=2567" "$TADMIN" -d '{"text":"x"}'
expect "editing a measure that does not exist: 404" 404
req POST /api/plan/years "$TADMIN" -d '{"year":2568,"from":2567}'
expect "admin starts 2568 from 2567" 201

# --- accounts (admin) ---
req GET /api/users "$TSTAFF"
expect "staff may not list users: 403" 403
req GET /api/users "$TADMIN"
[ "$S" = 200 ] && [ "$(j 'len(j["users"])')" = 4 ] && ok "admin lists users" || fail "users" "$S $B"
req POST /api/users "$TADMIN" -d '{"name":"new1","role":"staff","password":"password-new1"}'
expect "admin adds a user" 201
req POST /api/users "$TADMIN" -d '{"name":"new1","role":"staff","password":"password-new1"}'
expect "the same name twice: 409" 409
req POST /api/users "$TADMIN" -d '{"name":"new2","role":"king","password":"password-new2"}'
expect "an unknown role: 400" 400
req PATCH /api/users/new1 "$TADMIN" -d '{"role":"assessor"}'
[ "$S" = 200 ] && [ "$(j 'j["role"]')" = assessor ] && ok "admin changes a role" || fail "role" "$S $B"
req PATCH /api/users/admin "$TADMIN" -d '{"role":"staff"}'
expect "demoting the last admin: 409" 409
req POST /api/users/new1/tokens "$TADMIN"
expect "admin issues a token" 201
TNEW=$(j 'j["token"]')
req GET /api/years "$TNEW"
expect "the new token works" 200
req POST /api/users/new1/password "$TADMIN" -d '{"password":"another-password"}'
expect "admin resets a password" 200
S=$(curl -s -o "$T/b" -w '%{http_code}' -d '{"username":"new1","password":"another-password"}' "$URL/api/session")
[ "$S" = 200 ] && ok "the new password logs in" || fail "new password" "$S"
req DELETE /api/users/new1/tokens "$TADMIN"
[ "$S" = 200 ] && [ "$(j 'j["revoked"]')" = 1 ] && ok "admin revokes the user's tokens" || fail "revoke" "$S $B"
req GET /api/years "$TNEW"
expect "the revoked token is refused" 401
req PATCH /api/users/nobody "$TADMIN" -d '{"disabled":true}'
expect "an unknown user: 404" 404
req PATCH /api/users/new1 "$TADMIN" -d '{"disabled":true}'
expect "admin disables a user" 200

kill -TERM "$SPID"; wait "$SPID"

acts=$(sql "SELECT group_concat(DISTINCT action) FROM (SELECT action FROM audit ORDER BY action)")
for a in link unlink link.review plan.issue.add plan.measure.delete plan.new-year user.role user.password user.revoke user.disable; do
	[[ ",$acts," == *",$a,"* ]] && ok "the audit log records $a" || fail "audit has $a" "$acts"
done
[ "$(sql "SELECT actor FROM audit WHERE action = 'link.review' LIMIT 1")" = assess1 ] && ok "the review names the assessor" || fail "review actor"
run verify
expect_rc "verify: everything checks, the audit chain and its head" 0
