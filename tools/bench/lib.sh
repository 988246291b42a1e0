# Shared helpers for tools/bench/* (POSIX sh + awk; sourced, not run).
#
# run_timed NAME ROUND CMD...  run CMD under /usr/bin/time; appends
#                          "NAME ROUND <wall seconds> <peak RSS KiB> <exit status>"
#                          to $RESULTS. Wall time is taken with date +%s%N
#                          around the whole process (so process start-up
#                          counts for every tool alike); stdout/stderr are
#                          appended to $LOGDIR/NAME.log.
# median NAME             the median wall time of NAME's runs
# median_ratio NAME BASE  median over rounds of wall(BASE)/wall(NAME), both
#                          from the same round: NAME's throughput as a
#                          multiple of BASE's (> 1: NAME is faster)
# maxrss NAME             the largest peak RSS (MiB) over NAME's runs

BENCH_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$BENCH_ROOT/tools/bench/out}
mkdir -p "$OUT"
TIME_BIN=/usr/bin/time

# start_logs NAME: fresh $LOGDIR=$OUT/NAME and $RESULTS=$LOGDIR/results
start_logs() {
	LOGDIR=$OUT/$1
	rm -rf "$LOGDIR"
	mkdir -p "$LOGDIR"
	RESULTS=$LOGDIR/results
	: >"$RESULTS"
}

need_time() {
	if [ ! -x "$TIME_BIN" ]; then
		echo "$0: /usr/bin/time is missing: apt-get install -y time" >&2
		exit 2
	fi
}

now_ns() { date +%s%N; }

# run_timed NAME ROUND CMD...
run_timed() {
	name=$1 round=$2
	shift 2
	t0=$(now_ns)
	"$TIME_BIN" -f %M -o "$LOGDIR/.rss" "$@" >>"$LOGDIR/$name.log" 2>&1
	st=$?
	t1=$(now_ns)
	rss=$(tail -n 1 "$LOGDIR/.rss")
	echo "$name $round $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }') $rss $st" >>"$RESULTS"
	if [ "$st" -ne 0 ]; then
		echo "$0: $name (round $round) exited $st; see $LOGDIR/$name.log" >&2
	fi
	return $st
}

# median wall seconds of NAME
median() {
	awk -v n="$1" '$1 == n { print $3 }' "$RESULTS" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread "min–max" of NAME's wall seconds
spread() {
	awk -v n="$1" '$1 == n { if (!c++ || $3 < lo) lo = $3; if ($3 > hi) hi = $3 } END { if (c) printf "%.2f–%.2f", lo, hi; else printf "-" }' "$RESULTS"
}

# median over rounds of wall(BASE)/wall(NAME): NAME's speed as a multiple of BASE's
median_ratio() {
	awk -v n="$1" -v b="$2" '$1 == n { x[$2] = $3 } $1 == b { y[$2] = $3 }
		END { for (r in x) if (r in y && x[r] > 0) print y[r] / x[r] }' "$RESULTS" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# largest peak RSS of NAME in MiB
maxrss() {
	awk -v n="$1" '$1 == n && $4 > m { m = $4 } END { printf "%.1f", m / 1024 }' "$RESULTS"
}

# failed runs of NAME
failures() {
	awk -v n="$1" '$1 == n && $5 != 0 { c++ } END { print c + 0 }' "$RESULTS"
}

# Build ./lakthan (release). Returns 1 when it does not build now.
# While the tree is mid-edit and does not build, an existing ./lakthan is
# used with a warning (its build time is printed).
build_lakthan() {
	if ! ( cd "$BENCH_ROOT" && make -s lakthan ) >"$OUT/make-lakthan.log" 2>&1; then
		[ -x "$BENCH_ROOT/lakthan" ] || return 1
		echo "$0: warning: 'make lakthan' fails now (see $OUT/make-lakthan.log); using ./lakthan built $(date -r "$BENCH_ROOT/lakthan" -u +%H:%MZ)" >&2
	fi
	"$BENCH_ROOT/lakthan" ingest --help >/dev/null 2>&1 || return 1
	return 0
}

# Start writeback of everything dirty and let the disk settle, so one run's
# writes (or the deletion of its output) do not land in the next run's time.
settle() {
	sync
	sleep "${SETTLE:-1}"
}

# The machine is shared: note how busy it was. load_start at the beginning,
# load_note in the report.
load_start() {
	LOAD0=$(cut -d' ' -f1 /proc/loadavg)
	if awk -v l="$LOAD0" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
		echo "$0: warning: load average $LOAD0 on $(nproc) cores: other work will slow the CPU-bound runs (hashing, extraction)" >&2
	fi
}
load_note() {
	echo "load average (1 min) at start $LOAD0, at end $(cut -d' ' -f1 /proc/loadavg), on $(nproc) cores (0 = idle machine)"
}

# inner_time NAME: replace the wall time of NAME's last result with the
# "seconds=" the driver printed (for drivers that time only part of their work)
inner_time() {
	s=$(grep -o 'seconds=[0-9.]*' "$LOGDIR/$1.log" | tail -n 1 | cut -d= -f2)
	[ -n "$s" ] || return 0
	awk -v n="$1" -v s="$s" '{ l[NR] = $0; if ($1 == n) k = NR }
		END { for (i = 1; i <= NR; i++) { if (i == k) { split(l[i], f, " "); f[3] = s; print f[1], f[2], f[3], f[4], f[5] } else print l[i] } }' \
		"$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
}

# best NAME: the shortest wall time of NAME's runs (noise on a shared machine only adds time)
best() {
	awk -v n="$1" '$1 == n && (!c++ || $3 < m) { m = $3 } END { if (c) print m; else print "nan" }' "$RESULTS"
}
# best_ratio NAME BASE: best(BASE) / best(NAME)
best_ratio() {
	awk -v a="$(best "$2")" -v b="$(best "$1")" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'
}
