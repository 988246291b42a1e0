# lakthan serve: the HTTP API against a real server on a free loopback port —
# roles, credentials, CSRF, uploads (Thai names, malformed, oversize, aborted),
# path tricks, the login rate limit, the audit trail and a clean shutdown.
. tests/integration/lib.sh

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"

for u in admin:admin staff1:staff assess1:assessor arch1:archivist; do
	echo "password-${u%%:*}" | "$LAKTHAN" user add "${u%%:*}" --role "${u##*:}" >/dev/null 2>&1
done
run user add bad --role king
expect_rc "user add refuses an unknown role" 2
echo short | "$LAKTHAN" user add shorty --role staff >/dev/null 2>&1
[ $? -eq 2 ] && ok "user add refuses a short password" || fail "short password accepted"
TSTAFF=$("$LAKTHAN" user token staff1)
TASSESS=$("$LAKTHAN" user token assess1)
TADMIN=$("$LAKTHAN" user token admin)
[ ${#TSTAFF} -eq 64 ] && ok "user token prints a 256-bit token" || fail "token" "$TSTAFF"
[ "$(sql "SELECT count(*) FROM api_token WHERE token_hash = '$TSTAFF'")" = 0 ] && ok "the token is not stored in clear" || fail "token stored in clear"
[[ "$(sql "SELECT password_hash FROM account WHERE name = 'staff1'")" == '$y$'* ]] && ok "passwords are yescrypt hashes" || fail "password hash"

"$LAKTHAN" serve --listen "127.0.0.1:$PORT" --max-upload-mb 1 >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done

# req METHOD PATH [curl args...]: status in $S, body in $B, headers in $T/h
req() {
	local m=$1 p=$2; shift 2
	S=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" "$@" "$URL$p")
	B=$(cat "$T/b")
}
expect() {  # DESC STATUS
	if [ "$S" = "$2" ]; then ok "$1"; else fail "$1" "status $S, wanted $2" "body: ${B:0:400}"; fi
}
j() { python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$T/b"; }
AS="-H Authorization:Bearer"

req GET /healthz
expect "GET /healthz without credentials" 200
[ "$B" = '{"ok":true}' ] && ok "healthz body" || fail "healthz body" "$B"
grep -qi '^X-Content-Type-Options: nosniff' "$T/h" && grep -qi '^X-Frame-Options: DENY' "$T/h" &&
	grep -qi '^Content-Security-Policy:' "$T/h" && grep -qi '^Referrer-Policy:' "$T/h" &&
	ok "security headers on every response" || fail "security headers" "$(cat "$T/h")"

req GET /api/years
expect "no credentials: 401" 401
[ "$(j 'j["error"]["code"]')" = unauthenticated ] && ok "the error object names the code" || fail "error object" "$B"
req GET /api/years -H "Authorization: Bearer $(printf '%064d' 0)"
expect "an unknown token: 401" 401

# upload: a Thai file name, bytes and name intact
printf 'รายงานผลการดำเนินงาน ป้องกันการทุจริต ปีงบประมาณ 2567\n' > "$T/รายงาน ๑.txt"
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -F "file=@$T/รายงาน ๑.txt" -F year=2567 -F "description=หลักฐาน"
expect "staff uploads a document: 201" 201
ID=$(j 'j["documents"][0]["id"]')
[ "$(j 'j["documents"][0]["filename"]')" = "รายงาน ๑.txt" ] && ok "the Thai file name is kept" || fail "thai name" "$B"
[ "$(j 'j["documents"][0]["text_status"]')" = pending ] && ok "text extraction is deferred: pending" || fail "pending" "$B"
req POST /api/documents -H "Authorization: Bearer $TASSESS" -F "file=@$T/รายงาน ๑.txt"
expect "an assessor may not upload: 403" 403
for i in $(seq 1 50); do
	req GET "/api/documents/$ID" -H "Authorization: Bearer $TASSESS"
	[ "$(j 'j["text_status"]')" != pending ] && break; sleep 0.2
done
expect "an assessor reads a document" 200
[ "$(j 'j["text_status"]')" = ok ] && ok "the worker extracted the text" || fail "text status" "$B"
[ "$(j 'j["year"]')" = 2567 ] && [ "$(j 'j["uploaded_by"]')" = staff1 ] && ok "metadata: year and uploader" || fail "metadata" "$B"
req GET "/api/documents/$ID/file" -H "Authorization: Bearer $TASSESS"
expect "download" 200
cmp -s "$T/b" "$T/รายงาน ๑.txt" && ok "downloaded bytes are identical" || fail "bytes differ"
grep -qi "filename\*=UTF-8''%E0%B8%A3%E0%B8%B2" "$T/h" && ok "Content-Disposition carries the UTF-8 name (RFC 5987)" || fail "disposition" "$(grep -i disposition "$T/h")"
req GET "/api/documents/$ID/text" -H "Authorization: Bearer $TASSESS"
expect "text" 200
[[ "$B" == *"ทุจริต"* ]] && ok "the text endpoint returns the text" || fail "text" "$B"
req GET "/api/search?q=ทุจริต&year=2567" -H "Authorization: Bearer $TASSESS"
expect "search" 200
[ "$(j 'j["total"]')" = 1 ] && [[ "$B" == *"<mark>"* ]] && ok "search finds the upload with a snippet" || fail "search" "$B"
req GET "/api/search?q=ทุจริต&year=2024" -H "Authorization: Bearer $TASSESS"
expect "a CE year is a 400" 400
req GET "/api/years" -H "Authorization: Bearer $TASSESS"
[ "$S" = 200 ] && [[ "$B" == *2567* ]] && ok "years" || fail "years" "$S $B"

# an HTML upload is only ever an attachment
printf '<html><script>alert(1)</script></html>\n' > "$T/x.html"
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -F "file=@$T/x.html"
HID=$(j 'j["documents"][0]["id"]')
req GET "/api/documents/$HID/file" -H "Authorization: Bearer $TSTAFF"
grep -qi '^Content-Disposition: attachment' "$T/h" && ! grep -qi '^Content-Type: text/html' "$T/h" &&
	ok "HTML is served as an attachment, never as text/html" || fail "html" "$(cat "$T/h")"

# metadata edit and withdrawal
req PATCH "/api/documents/$ID" -H "Authorization: Bearer $TSTAFF" -d '{"title":"ชื่อใหม่","year":2568}'
expect "staff edits metadata" 200
[ "$(j 'j["title"]')" = "ชื่อใหม่" ] && ok "the new title is stored" || fail "title" "$B"
req PATCH "/api/documents/$ID" -H "Authorization: Bearer $TSTAFF" -d '{"year":2024}'
expect "a CE year in PATCH is a 400" 400
req PATCH "/api/documents/$ID" -H "Authorization: Bearer $TSTAFF" -d '{"sha256":"x"}'
expect "an unknown field is a 400" 400
req PATCH "/api/documents/$ID" -H "Authorization: Bearer $TSTAFF" -d 'not json'
expect "a body that is not JSON is a 400" 400
req PATCH "/api/documents/$ID" -H "Authorization: Bearer $TASSESS" -d '{"title":"x"}'
expect "an assessor may not edit: 403" 403
req DELETE "/api/documents/$HID" -H "Authorization: Bearer $TSTAFF" -d '{}'
expect "withdrawal without a reason is a 400" 400
req DELETE "/api/documents/$HID" -H "Authorization: Bearer $TSTAFF" -d '{"reason":"อัปโหลดผิด"}'
expect "withdrawal" 200
[ "$(j 'j["withdrawn_reason"]')" = "อัปโหลดผิด" ] && ok "the record stays, with its reason" || fail "withdrawn" "$B"
req DELETE "/api/documents/$HID" -H "Authorization: Bearer $TSTAFF" -d '{"reason":"again"}'
expect "withdrawing twice is a 409" 409
req GET /api/documents/99999 -H "Authorization: Bearer $TSTAFF"
expect "no such document: 404" 404

# sessions, cookies and CSRF
req POST /api/session -H 'Content-Type: application/json' -d '{"username":"staff1","password":"password-staff1"}' -c "$T/jar"
expect "login" 200
CSRF=$(j 'j["csrf"]')
grep -qi '^Set-Cookie: lakthan_session=.*HttpOnly.*SameSite=Strict' "$T/h" && ok "the session cookie is HttpOnly, SameSite=Strict" || fail "cookie" "$(cat "$T/h")"
req GET /api/years -b "$T/jar"
expect "a cookie session reads" 200
req PATCH "/api/documents/$ID" -b "$T/jar" -d '{"title":"x"}'
expect "a cookie change without X-CSRF-Token: 403" 403
[ "$(j 'j["error"]["code"]')" = csrf ] && ok "the refusal names csrf" || fail "csrf code" "$B"
req PATCH "/api/documents/$ID" -b "$T/jar" -H "X-CSRF-Token: $CSRF" -d '{"title":"ด้วยคุกกี้"}'
expect "a cookie change with the CSRF token" 200
req DELETE /api/session -b "$T/jar" -H "X-CSRF-Token: $CSRF"
expect "logout" 200
req GET /api/years -b "$T/jar"
expect "after logout the cookie is dead: 401" 401
req POST /api/session -d '{"username":"staff1","password":"wrong-password"}'
expect "a wrong password: 401" 401
for i in 1 2 3 4 5; do req POST /api/session -d '{"username":"assess1","password":"nope-nope"}'; done
req POST /api/session -d '{"username":"assess1","password":"password-assess1"}'
expect "after 5 failures even the right password gets 429" 429
grep -qi '^Retry-After:' "$T/h" && ok "429 says when to retry" || fail "retry-after"
req POST /api/session -d '{"username":"admin","password":"password-admin"}'
expect "another user is not locked out by it" 200

# bad uploads
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -H 'Content-Type: multipart/form-data; boundary=XX' --data-binary $'--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc'
[ "${S:0:1}" = 4 ] && ok "a truncated multipart body is a 4xx ($S)" || fail "malformed multipart" "$S $B"
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -H 'Content-Type: application/json' -d '{}'
expect "an upload that is not multipart is a 400" 400
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -F "title=x"
expect "an upload without a file part is a 400" 400
head -c 2000000 /dev/urandom > "$T/big.bin"
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -F "file=@$T/big.bin"
expect "over --max-upload-mb: 413" 413
: > "$T/empty.txt"
req POST /api/documents -H "Authorization: Bearer $TSTAFF" -F "file=@$T/empty.txt"
expect "only an empty file: 422 with the reason" 422
# a client that goes away mid-upload leaves nothing behind
python3 - "$PORT" "$TSTAFF" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
body = b"--BB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n" + b"x" * 300000
s.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + sys.argv[2].encode() +
          b"\r\nContent-Type: multipart/form-data; boundary=BB\r\nContent-Length: 900000\r\n\r\n" + body)
time.sleep(0.5)
s.close()
PY
sleep 0.5
n_tmp=$(ls "$LAKTHAN_DATA/blobs/tmp" | wc -l)
[ "$n_tmp" = 0 ] && ok "an aborted upload leaves no temp file" || fail "temp files left" "$(ls "$LAKTHAN_DATA/blobs/tmp")"

# path tricks
req GET "/api/documents/../api/years" --path-as-is -H "Authorization: Bearer $TSTAFF"
expect "'..' in the path: 400" 400
req GET "/api/documents/$ID%00.html" -H "Authorization: Bearer $TSTAFF"
[ "${S:0:1}" = 4 ] && ok "%00 in the path is a 4xx ($S), not document $ID" || fail "nul" "$S $B"
req GET "/api/documents/$(head -c 9000 /dev/zero | tr '\0' 1)" -H "Authorization: Bearer $TSTAFF"
[ "${S:0:1}" = 4 ] && ok "a very long URL is a 4xx ($S)" || fail "long url" "$S"
req GET "/api/documents/1abc" -H "Authorization: Bearer $TSTAFF"
expect "a non-numeric id: 404" 404
req PUT "/api/years" -H "Authorization: Bearer $TSTAFF"
expect "a wrong method: 405" 405
check "the server survived everything" curl -sf "$URL/healthz"

# the audit trail: uploads, views, downloads, edits, withdrawals
acts=$(sql "SELECT group_concat(DISTINCT action) FROM (SELECT action FROM audit ORDER BY action)")
for a in upload view download edit withdraw user.add login; do
	[[ ",$acts," == *",$a,"* ]] || { fail "audit has $a" "$acts"; continue; }
	ok "the audit log records $a"
done
[ "$(sql "SELECT actor FROM audit WHERE action = 'download' LIMIT 1")" = assess1 ] && ok "the download names who downloaded" || fail "download actor"

# graceful shutdown
kill -TERM "$SPID"
for i in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
wait "$SPID"; rc=$?
[ "$rc" = 0 ] && ok "SIGTERM stops the server with status 0" || fail "shutdown status $rc" "$(tail -5 "$T/serve.err")"
grep -q "GET /api/documents/$ID/file 200" "$T/serve.err" && ok "one access log line per request" || fail "access log" "$(head -3 "$T/serve.err")"

run verify
expect_rc "verify: the archive and its audit chain are sound" 0
# tamper with one audit record: verify names it
python3 - "$LAKTHAN_DATA/lakthan.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_no_update")
db.execute("UPDATE audit SET detail = '{\"reason\":\"forged\"}' WHERE action = 'withdraw'")
db.commit()
PY
seq_w=$(sql "SELECT seq FROM audit WHERE action = 'withdraw'")
run verify
expect_rc "an edited audit record makes verify exit 1" 1
[[ "$OUT" == *"audit_chain"*"record $seq_w"* ]] && ok "verify names the edited record" || fail "names record" "$OUT"
