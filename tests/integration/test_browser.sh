# The web UI in a real browser: tests/browser/run.mjs (playwright-core and
# Debian's chromium, headless) against `lakthan serve` on a free loopback
# port with a fresh data directory, the sample plan and one user per role.
. tests/integration/lib.sh

if [ ! -x /usr/bin/chromium ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
	fail "browser tests need chromium and tests/browser/node_modules (run make deps)"
	exit 1
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"

"$LAKTHAN" import-plan docs/examples/ita-measures-report-2567-khokhinhae.txt >/dev/null 2>&1
for u in admin:admin staff1:staff assess1:assessor arch1:archivist; do
	echo "password-${u%%:*}" | "$LAKTHAN" user add "${u%%:*}" --role "${u##*:}" >/dev/null 2>&1
done
# one document behind measure 4.1, whose plan row cites i19: a backed measure
printf 'ประกาศเจตจำนงสุจริตของผู้บริหาร ปีงบประมาณ ๒๕๖๗\n' > "$T/ประกาศเจตจำนง.txt"
"$LAKTHAN" ingest --year 2567 --measure 4.1 "$T/ประกาศเจตจำนง.txt" >/dev/null 2>&1 ||
	"$LAKTHAN" ingest --year 2567 "$T/ประกาศเจตจำนง.txt" >/dev/null 2>&1

"$LAKTHAN" serve --listen "127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && break; sleep 0.1; done

S=$(curl -s -o "$T/index" -w '%{http_code} %{content_type}' "$URL/")
[ "$S" = "200 text/html; charset=utf-8" ] && grep -q 'src="/assets/app.js"' "$T/index" && ok "GET / serves the embedded web UI" || fail "GET /" "$S"
ETAG=$(curl -s -D - -o /dev/null "$URL/assets/app.js" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
S=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$URL/assets/app.js")
[ -n "$ETAG" ] && [ "$S" = 304 ] && ok "assets carry an ETag and answer 304 when unchanged" || fail "etag" "$ETAG $S"
S=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$URL/assets/views/search.js")
[ "$S" = "200 text/javascript; charset=utf-8" ] && ok "ES modules are served as text/javascript" || fail "module type" "$S"
S=$(curl -s -o /dev/null -w '%{http_code}' "$URL/assets/nothing.js")
[ "$S" = 404 ] && ok "an unknown asset is a 404" || fail "unknown asset" "$S"

LAKTHAN_URL=$URL TAP_START=$_n timeout 300 node tests/browser/run.mjs >"$T/browser.tap"
rc=$?
cat "$T/browser.tap"
_n=$((_n + $(grep -cE '^(not )?ok [0-9]+' "$T/browser.tap")))
[ "$rc" = 0 ] || fail "the browser run ended with status $rc" "$(tail -5 "$T/serve.err")"

kill -TERM "$SPID"
wait "$SPID"

# --web-dir serves the folder instead of the embedded copy
PORT2=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/web"
printf '<!doctype html><title>dev</title>\n' > "$T/web/index.html"
"$LAKTHAN" serve --listen "127.0.0.1:$PORT2" --web-dir "$T/web" >/dev/null 2>&1 &
SPID=$!
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT2/healthz" && break; sleep 0.1; done
[ "$(curl -s "http://127.0.0.1:$PORT2/")" = '<!doctype html><title>dev</title>' ] && ok "serve --web-dir serves the folder" || fail "--web-dir"
kill -TERM "$SPID"
wait "$SPID"
run serve --web-dir "$T/nowhere"
expect_rc "serve --web-dir without index.html is a usage error" 2
