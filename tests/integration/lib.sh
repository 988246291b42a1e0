# lib.sh: TAP helpers for integration tests against the real binary.
# Each test script sources this, then calls ok/fail/check; the runner counts
# "ok N" / "not ok N" lines.
set -u
LAKTHAN=${LAKTHAN:-$(pwd)/build/asan/lakthan}
FIX=$(pwd)/tests/fixtures
T=$(mktemp -d /tmp/lakthan-test.XXXXXX)
chmod 755 "$T"
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export LAKTHAN_DATA="$T/data"
_n=0

ok()   { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() { _n=$((_n + 1)); echo "not ok $_n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# check DESC CONDITION-COMMAND...: ok when the command succeeds
check() {
	local desc=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$desc"; else fail "$desc" "command: $*"; fi
}

# run CMD...: runs lakthan, capturing stdout in $OUT, stderr in $ERR, status in $RC
run() {
	"$LAKTHAN" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# expect_rc DESC N: after run, the exit status was N
expect_rc() {
	if [ "$RC" -eq "$2" ]; then ok "$1"; else fail "$1" "exit status $RC, wanted $2" "stdout: ${OUT:0:800}" "stderr: ${ERR:0:800}"; fi
}

# json_field FILE-LINE-FILTER: python expression over each JSON line `j`; prints results
jsonl() { python3 -c '
import json, sys, signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
expr = sys.argv[1]
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.strip()
    if line:
        j = json.loads(line)
        r = eval(expr)
        if r is not None: print(r)
' "$1" "$2"; }

# sql QUERY: run a query on the archive's database, one row per line, "|" between columns
sql() { python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
' "$LAKTHAN_DATA/lakthan.db" "$1"; }
