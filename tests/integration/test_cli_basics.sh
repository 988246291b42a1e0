# The command line's outer behaviour: version, usage errors, the data directory.
. tests/integration/lib.sh

run --version
expect_rc "--version exits 0" 0
[[ "$OUT" == lakthan\ * ]] && ok "--version prints the version" || fail "--version prints the version" "$OUT"

run frobnicate
expect_rc "unknown command exits 2" 2
[[ "$ERR" == "lakthan: frobnicate: unknown command"* ]] && ok "unknown command says so in one line" || fail "unknown command message" "$ERR"

run ingest
expect_rc "ingest without paths exits 2" 2

run ingest --year 2024 "$FIX/thai-source.txt"
expect_rc "a CE year is refused with exit 2" 2
[[ "$ERR" == *2567* ]] && ok "the CE year error suggests the BE year" || fail "CE hint" "$ERR"
[ ! -e "$LAKTHAN_DATA" ] && ok "bad usage creates no archive" || fail "bad usage creates no archive"

run ingest --help
expect_rc "ingest --help exits 0" 0
run verify --help
expect_rc "verify --help exits 0" 0

run verify
expect_rc "verify on a new archive exits 0" 0
check "the archive directory is created on first use" test -f "$LAKTHAN_DATA/lakthan.db"
check "the blob store is created" test -d "$LAKTHAN_DATA/blobs/tmp"
[ "$(sql 'PRAGMA journal_mode')" = wal ] && ok "the database is in WAL mode" || fail "WAL mode" "$(sql 'PRAGMA journal_mode')"
v=$(sql 'PRAGMA user_version')
[ "$v" -ge 1 ] && ok "a schema version is recorded ($v)" || fail "schema version" "$v"

# --data wins over $LAKTHAN_DATA
"$LAKTHAN" --data "$T/other" verify >/dev/null 2>&1
check "--data names the archive directory" test -f "$T/other/lakthan.db"

# an archive from a newer lakthan is refused, not misread
sql 'PRAGMA user_version = 999' >/dev/null
run verify
expect_rc "a newer schema is refused with exit 1" 1
[[ "$ERR" == *newer* ]] && ok "the newer-schema error says so" || fail "newer schema message" "$ERR"

# a data path that is a file, and a database that is not one
echo hello > "$T/afile"
run --data "$T/afile" verify
expect_rc "a data path that is a file is refused" 1
mkdir -p "$T/bad"; echo "not a database at all, really not" > "$T/bad/lakthan.db"
run --data "$T/bad" verify
expect_rc "a damaged database is refused" 1
[[ "$ERR" == lakthan:* ]] && ok "the damaged-database error is one lakthan line" || fail "damaged db message" "$ERR"
