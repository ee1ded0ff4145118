# SPDX-License-Identifier: MIT
# Sourced by the shell tests: where things are, a private temp dir, and TAP output
# (ok/not_ok/skip; a failure prints $tmp/out as TAP comments). End with
# `echo "1..$n"; exit $failed`.
top_srcdir=${GB_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${GB_TOP_BUILDDIR:-$top_srcdir}
daemon=$top_builddir/src/glutebreak
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; sed 's/^/# /' "$tmp/out"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
