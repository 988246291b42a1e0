#!/bin/sh
# make-suggest-fixtures: the labelled set of the link-suggestion benchmark.
# Each tests/fixtures/suggest/src/<measure>-<x>.txt is a short Thai document
# written as evidence for that measure of the 2567 seed plan; LibreOffice
# turns the "-a" ones into DOCX and the "-b" ones into PDF (real producers,
# so extraction is part of what is measured). Committed, so CI never runs
# this. Needs soffice and fonts-thai-tlwg.
# Usage: tools/make-suggest-fixtures.sh   (from anywhere inside the repo)
set -eu
cd "$(dirname "$0")/.."
D=tests/fixtures/suggest
command -v soffice >/dev/null || { echo "make-suggest-fixtures: soffice not found" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
# a private profile so that a running LibreOffice does not swallow the job
LO="soffice -env:UserInstallation=file://$TMP/profile --headless --norestore"
IN='--infilter=Text (encoded):UTF8,LF,Liberation Serif,th'
for src in "$D"/src/*.txt; do
	name=$(basename "$src" .txt)
	case $name in
	*-a) fmt='docx:MS Word 2007 XML'; ext=docx ;;
	*) fmt=pdf; ext=pdf ;;
	esac
	rm -rf "$TMP/out" && mkdir "$TMP/out"
	$LO "$IN" --convert-to "$fmt" --outdir "$TMP/out" "$src" >/dev/null 2>&1
	mv "$TMP/out/$name.$ext" "$D/$name.$ext"
done
