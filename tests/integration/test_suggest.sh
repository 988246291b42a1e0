# suggest: the labelled set of tests/fixtures/suggest/ (20 short documents,
# two per measure, DOCX and PDF made by LibreOffice) against the seed plan:
# how often the right measure ranks first. The numbers are in docs/SEARCH.md.
. tests/integration/lib.sh

run import-plan docs/examples/ita-measures-report-2567-khokhinhae.txt
expect_rc "the seed plan" 0
# neutral names: the file name must not give the label away
i=0
: > "$T/labels"
for f in "$FIX"/suggest/*.docx "$FIX"/suggest/*.pdf; do
	i=$((i + 1))
	b=$(basename "$f")
	cp "$f" "$T/doc$i.${b##*.}"
	echo "$i ${b%-*}" >> "$T/labels"
done
run ingest --year 2567 --json "$T"/doc*
expect_rc "the labelled documents ingest" 0
echo "$OUT" > "$T/ing"
[ "$(jsonl 'j["status"] == "added" and j["text_chars"] > 20' "$T/ing" | sort -u)" = True ] \
	&& ok "every one has text" || fail "extraction" "$OUT"

top1=0 top3=0 n=0
while read -r k label; do
	id=$(jsonl "j['id'] if j['path'].endswith('/doc$k.docx') or j['path'].endswith('/doc$k.pdf') else None" "$T/ing")
	run suggest --json --limit 3 "$id"
	echo "$OUT" > "$T/sg"
	got=$(jsonl '" ".join(s["code"] for s in j["suggestions"])' "$T/sg")
	n=$((n + 1))
	[ "${got%% *}" = "$label" ] && top1=$((top1 + 1))
	[[ " $got " == *" $label "* ]] && top3=$((top3 + 1))
	echo "# doc$k ($label): $got"
done < "$T/labels"
echo "# suggest: right measure first for $top1 of $n, in the top 3 for $top3 of $n"
[ "$top1" -ge 14 ] && ok "the right measure ranks first for at least 14 of 20 ($top1)" || fail "top-1 accuracy $top1/$n"
[ "$top3" -ge 17 ] && ok "and is in the top 3 for at least 17 of 20 ($top3)" || fail "top-3 accuracy $top3/$n"

# the text's date proposes the fiscal year: 28 ตุลาคม ๒๕๖๗ is in 2568
id=$(jsonl "j['id'] if j['path'].endswith('/doc$(awk '$2 == "4.1" {print $1}' "$T/labels" | tail -1).pdf') else None" "$T/ing")
run suggest --json "$id"
echo "$OUT" > "$T/sg"
[ "$(jsonl 'j["evidence_date"], j["proposed_year"]' "$T/sg")" = "('2024-10-28', 2568)" ] \
	&& ok "the evidence date and the fiscal year it proposes" || fail "evidence date" "$OUT"
run suggest 9999
expect_rc "suggest for a document that does not exist" 2
run suggest x
expect_rc "suggest with a bad id" 2
