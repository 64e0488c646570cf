#!/usr/bin/env bash
# How long `casrep categories --aliases FILE` takes to load alias files of growing size, in two
# shapes that once made loading quadratic: many new categories with one name each, and many
# names of one category sharing their first words. Prints one line per file (seconds, peak
# KB of memory). Needs python3 and GNU time (/usr/bin/time).
# Usage: bench/aliases.sh [COUNTS...]   (default: 16000 64000 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=target/release/casrep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(16000 64000 200000)
for n in "${counts[@]}"; do
  python3 - "$n" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
json.dump({f"widget_{k}": [f"gizmo{k} units"] for k in range(n)}, open(f"{work}/ids-{n}.json", "w"))
json.dump({"tanks": [f"heavy armour {k}" for k in range(n)]}, open(f"{work}/names-{n}.json", "w"))
PY
  for shape in ids names; do
    /usr/bin/time -f "$shape $n: %e s, %M KB" "$bin" categories --aliases "$work/$shape-$n.json" >/dev/null
  done
done
