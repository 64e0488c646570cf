#!/usr/bin/env bash
# Peak memory (RSS) and time of `casrep extract` on long files: 250 MB of paragraphs in one
# file, the same 250 MB on a single line, and two 60 MB files at -j 2. Not a test: prints one
# line per run, for the README. Needs python3 and GNU time (/usr/bin/time); builds the release
# binary. Usage: bench/memory.sh [MB]   (default 250)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-250}
cargo build --release --locked --quiet
bin=$PWD/target/release/casrep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$mb" "$work" <<'PY'
import sys
mb, work = int(sys.argv[1]), sys.argv[2]
def article(size):
    parts, n, k = ["Published: 2023-02-22\n\n"], 0, 0
    while n < size:
        p = (f"Russia has lost {100000 + k} troops and {1000 + k % 5000} tanks since the invasion "
             f"began, the General Staff said. Fighting went on along the front line overnight, "
             f"and air defences shot down {k % 40} drones, officials in Kyiv said.\n\n")
        parts.append(p); n += len(p); k += 1
    return "".join(parts)
text = article(mb * 1000 * 1000)
open(f"{work}/paragraphs.txt", "w").write(text)
open(f"{work}/one-line.txt", "w").write(text.replace("\n", " "))
small = article(60 * 1000 * 1000)
for name in ("a", "b"):
    open(f"{work}/two-{name}.txt", "w").write(small)
PY
run() { # label, then arguments
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s, peak %M KB" "$bin" extract --quiet "$@" >"$work/out.ndjson"
  echo "  $(wc -l <"$work/out.ndjson") figures"
}
run "$mb MB of paragraphs, one file" "$work/paragraphs.txt"
run "$mb MB on one line, one file" "$work/one-line.txt"
run "two 60 MB files, -j 2" -j 2 "$work/two-a.txt" "$work/two-b.txt"
