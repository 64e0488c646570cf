#!/usr/bin/env bash
# Whether a change keeps behaviour: builds the binary of BASE (a commit; default the commit the
# refactor started from, or HEAD~1) in a worktree of its own, then runs it and the working
# tree's binary on the same inputs and compares the bytes they print:
#   extract and timeline of fixtures/articles, of the shared seeds and real articles (each
#   article alone, as the scoring tool runs it, with and without its date), and of generated
#   corpora (seed 7, 2,000 articles; seed 11, 5,000).
# Usage: scripts/same-output.sh [BASE]   (SHARED=../shared by default; QUICK=1 skips seed 11)
# Exit status 0 when every output is byte-identical, 1 otherwise (the differing files are named).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
shared=${SHARED:-../shared}
rev=$(git rev-parse --short "$base")
work=${SAME_OUTPUT_DIR:-/tmp/casrep-same-output}
mkdir -p "$work"

# The base binary, built once per commit.
base_bin="$work/bin-$rev"
if [ ! -x "$base_bin" ]; then
  tree="$work/tree-$rev"
  [ -d "$tree" ] || git worktree add --detach "$tree" "$rev" >/dev/null
  (cd "$tree" && CARGO_TARGET_DIR="$work/target" cargo build --release --locked --quiet)
  cp "$work/target/release/casrep" "$base_bin"
  git worktree remove --force "$tree"
fi
cargo build --release --locked --quiet
new_bin=target/release/casrep

corpus() { # count seed
  local dir="$work/corpus-$2-$1"
  [ -d "$dir/articles" ] || python3 "$shared/tools/gen-corpus" --out "$dir" --count "$1" --seed "$2" --quiet --force
  printf '%s\n' "$dir/articles"
}

inputs=(fixtures/articles)
[ -d "$shared/acceptance/seeds/articles" ] && inputs+=("$shared/acceptance/seeds/articles")
if [ -d "$shared/tools" ]; then
  inputs+=("$(corpus 2000 7)")
  [ "${QUICK:-0}" = 1 ] || inputs+=("$(corpus 5000 11)")
fi

differ=0
compare() { # name, then the command's arguments
  local name=$1
  shift
  "$base_bin" "$@" >"$work/base.out" 2>/dev/null || true
  "$new_bin" "$@" >"$work/new.out" 2>/dev/null || true
  if cmp -s "$work/base.out" "$work/new.out"; then
    printf 'same      %s (%s bytes)\n' "$name" "$(wc -c <"$work/new.out")"
  else
    printf 'DIFFERENT %s\n' "$name"
    diff <(head -c 2000000 "$work/base.out") <(head -c 2000000 "$work/new.out") | head -n 6 || true
    differ=1
  fi
}

for dir in "${inputs[@]}"; do
  compare "extract $dir" extract --quiet "$dir"
  compare "timeline $dir" timeline --quiet "$dir"
done

# Each acceptance article alone, as the scoring tool runs it: text alone and with its date.
for set in seeds real; do
  adir="$shared/acceptance/$set"
  [ -d "$adir/articles" ] || continue
  python3 - "$adir" >"$work/cases.txt" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(os.path.join(d, "expected"))):
    e = json.load(open(os.path.join(d, "expected", name)))
    date = e.get("published") or e.get("report_date") or ""
    print(os.path.join(d, "articles", name[:-5] + ".txt"), date)
PY
  : >"$work/base.cases"
  : >"$work/new.cases"
  while read -r file date; do
    for bin in "$base_bin" "$new_bin"; do
      out="$work/new.cases"
      [ "$bin" = "$base_bin" ] && out="$work/base.cases"
      "$bin" extract "$file" >>"$out" 2>/dev/null || true
      [ -n "$date" ] && { "$bin" extract --date "$date" "$file" >>"$out" 2>/dev/null || true; }
    done
  done <"$work/cases.txt"
  if cmp -s "$work/base.cases" "$work/new.cases"; then
    printf 'same      extract of each %s article, with and without its date (%s bytes)\n' "$set" "$(wc -c <"$work/new.cases")"
  else
    printf 'DIFFERENT extract of each %s article\n' "$set"
    diff "$work/base.cases" "$work/new.cases" | head -n 6 || true
    differ=1
  fi
done

if [ "$differ" = 0 ]; then
  echo "all outputs byte-identical to $rev"
fi
exit "$differ"
