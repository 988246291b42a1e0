# Shared helpers for tools/bench/http-* (bash; sourced after lib.sh).
#
# http_archive N   a cached archive of N real Thai documents in
#                  $OUT/http-archive-N/data (LAKTHAN_DATA is set to it). Built
#                  once from /work/shared/corpus/thai-docs (read in place):
#                  copy 0 is the corpus itself, copies 1.. are written to a
#                  scratch dir in /tmp with one distinct line appended to each
#                  file (so the bytes, and the SHA-256, differ) and removed
#                  after the ingest. Copy k is ingested with --year 2563+k.
#                  REBUILD=1 forces a new build. Users admin (admin) and
#                  staff1 (staff) are created with the archive.
# http_start ARGS  start `lakthan serve` on a free 127.0.0.1 port with ARGS;
#                  sets SPID, PORT, URL; waits for /healthz
# http_stop        SIGTERM the server started by http_start and wait for it
# wrk_summary F    "req/s p50_ms p99_ms non2xx errors requests" from a `wrk --latency` output
# cpu_ticks PID    user+system CPU of PID in clock ticks (getconf CLK_TCK per s)

CORPUS=${CORPUS:-/work/shared/corpus/thai-docs}
L=$BENCH_ROOT/lakthan

http_archive() {
	local n=$1 dir=$OUT/http-archive-$1
	export LAKTHAN_DATA=$dir/data
	if [ -z "${REBUILD:-}" ] && [ -f "$dir/built" ]; then
		echo "archive: cached $dir ($(cat "$dir/built"))"
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	local scratch
	scratch=$(mktemp -d /tmp/lakthan-http-corpus.XXXXXX)
	local per
	per=$(find "$CORPUS" -maxdepth 1 -type f -name '*.txt' | wc -l)
	local copies=$(( (n + per - 1) / per ))
	local t0
	t0=$(date +%s)
	python3 - "$CORPUS" "$scratch" "$n" "$copies" <<'PY'
import os, sys
src, dst, n, copies = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
files = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
left = n
for k in range(copies):
    take = files[:min(left, len(files))]
    left -= len(take)
    lst = open(os.path.join(dst, "list%d" % k), "w")
    if k == 0:
        for f in take:
            lst.write(os.path.join(src, f) + "\n")
        continue
    d = os.path.join(dst, "copy%d" % k)
    os.makedirs(d)
    for f in take:
        b = open(os.path.join(src, f), "rb").read()
        if not b.endswith(b"\n"):
            b += b"\n"
        b += ("สำเนาชุดทดสอบความเร็วที่ %d ของเอกสาร %s\n" % (k, f)).encode()
        open(os.path.join(d, f), "wb").write(b)
        lst.write(os.path.join(d, f) + "\n")
PY
	local k
	for k in $(seq 0 $((copies - 1))); do
		# xargs: the corpus has 2,000 files, well under ARG_MAX per call
		xargs -d '\n' -a "$scratch/list$k" "$L" ingest --year $((2563 + k)) >>"$dir/ingest.log" 2>&1 ||
			echo "$0: ingest of copy $k exited $? (see $dir/ingest.log)" >&2
	done
	rm -rf "$scratch"
	echo "password-admin" | "$L" user add admin --role admin >/dev/null
	echo "password-staff1" | "$L" user add staff1 --role staff >/dev/null
	local docs
	docs=$(sqlite3 "$LAKTHAN_DATA/lakthan.db" 'SELECT count(*) FROM document' 2>/dev/null || echo "?")
	echo "$docs documents from $copies copies of $CORPUS, built in $(( $(date +%s) - t0 )) s on $(date -u +%Y-%m-%dT%H:%MZ)" >"$dir/built"
	echo "archive: built $dir ($(cat "$dir/built"))"
}

http_start() {
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	URL="http://127.0.0.1:$PORT"
	"$L" serve --listen "127.0.0.1:$PORT" "$@" >"$LOGDIR/serve.out" 2>>"$LOGDIR/serve.err" &
	SPID=$!
	local i
	for i in $(seq 1 100); do curl -s -o /dev/null "$URL/healthz" && return 0; sleep 0.1; done
	echo "$0: the server did not answer /healthz (see $LOGDIR/serve.err)" >&2
	return 1
}

http_stop() {
	[ -n "${SPID:-}" ] || return 0
	kill -TERM "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}

wrk_summary() {
	awk '
	function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
	/^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
	/Requests\/sec/ { rps = $2 }
	/ requests in / { reqs = $1 }
	/Non-2xx/ { non2xx = $NF }
	/Socket errors/ { sub(/.*Socket errors: /, ""); gsub(/ /, ""); err = $0 }
	END { printf "%s %.2f %.2f %d %s %d\n", rps, p50, p99, non2xx, (err == "" ? "none" : err), reqs }' "$1"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# search_files QUERIES DIR: DIR/paths (one percent-encoded
# /api/search?q=…&limit=20 per query) and DIR/rotate.lua (each wrk thread
# walks the list from its own offset; run wrk with PATHS=DIR/paths)
search_files() {
	python3 - "$1" >"$2/paths" <<'PY'
import sys, urllib.parse
for q in open(sys.argv[1], encoding="utf-8"):
    q = q.strip()
    if q:
        print("/api/search?q=%s&limit=20" % urllib.parse.quote(q))
PY
	cat >"$2/rotate.lua" <<'LUA'
local paths, i = {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local n = 0
setup = function(thread) n = n + 1; thread:set("offset", n * 7) end
init = function() i = tonumber(offset) or 0 end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
}
