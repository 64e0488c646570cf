#!/usr/bin/env bash
# Corpus-scale benchmark (issue 4): casrep against the I/O floor and ripgrep on one warm page cache.
#
#   bench/corpus.sh                 # 100,000 articles (about 400 MB) in /tmp/casrep-bench
#   CORPUS=/tmp/c COUNT=2000 bench/corpus.sh     # a quick run on a small corpus
#
# From a fresh clone: builds the release binary, generates the corpus with
# ../shared/tools/gen-corpus (seed 1; skipped when the corpus is already there), installs
# ripgrep, hyperfine and GNU time from Debian's packages when they are missing, then times in ONE
# hyperfine run (warm-up included, so every command reads from the page cache):
#   casrep timeline DIR   (skipped, with a note, while `casrep timeline` does not work yet)
#   casrep extract DIR
#   cat of every file      (the I/O floor)
#   rg -c counting the same kind of match
# and prints MB/s for each, the ratio casrep timeline / rg, and the peak RSS of casrep timeline.
#
# Environment: CORPUS (corpus folder), COUNT (articles, default 100000), RUNS (timed runs per
# command, default 3), SHARED (the shared folder, default ../shared beside the repo).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=${CORPUS:-/tmp/casrep-bench}
count=${COUNT:-100000}
runs=${RUNS:-3}
shared=${SHARED:-$root/../shared}
dir=$corpus/articles
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

say() { printf 'bench: %s\n' "$*" >&2; }

# Tools from Debian's packages, when missing.
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

say "building the release binary"
cargo build --release --locked --quiet
casrep=$root/target/release/casrep

if [ -d "$dir" ] && [ -f "$corpus/manifest.json" ]; then
    say "corpus already in $corpus"
else
    say "generating $count articles in $corpus (seed 1)"
    "$shared/tools/gen-corpus" --out "$corpus" --count "$count" --seed 1 --quiet
fi

files=$(find "$dir" -type f | wc -l)
bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
say "$files files, $bytes bytes, $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

pattern='[0-9][0-9,]*\s+(troops|soldiers|personnel|tanks|vehicles|systems|aircraft|helicopters|drones)'
names=()
commands=()
# A timeline row only when the command works: the subcommand may exist before it is wired.
mkdir -p "$out/probe"
echo "Russia has lost 3,350 tanks, the General Staff said on 23 February 2023." >"$out/probe/a.txt"
if "$casrep" timeline "$out/probe" >/dev/null 2>&1; then
    names+=("casrep timeline")
    commands+=("$casrep timeline $dir > /dev/null")
else
    say "'casrep timeline' does not work in this build yet: its row is skipped"
fi
names+=("casrep extract" "cat (I/O floor)" "rg -c")
commands+=(
    "$casrep extract $dir > /dev/null"
    "find $dir -type f -print0 | xargs -0 cat > /dev/null"
    "rg -c '$pattern' $dir > /dev/null"
)

hyperfine_args=(--warmup 1 --runs "$runs" --export-json "$out/times.json")
for k in "${!commands[@]}"; do
    hyperfine_args+=(--command-name "${names[$k]}" "${commands[$k]}")
done
hyperfine "${hyperfine_args[@]}" >&2

rss_kb=""
if [ "${names[0]}" = "casrep timeline" ]; then
    /usr/bin/time -v "$casrep" timeline "$dir" >/dev/null 2>"$out/time.txt" || true
    rss_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$out/time.txt")
fi

python3 - "$out/times.json" "$bytes" "$files" "$(nproc)" "$rss_kb" <<'EOF'
import json, sys
times, nbytes, files, cores, rss = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
results = json.load(open(times))["results"]
mb = nbytes / 1e6
print(f"corpus: {files} files, {mb:.1f} MB; {cores} cores")
print(f"{'command':<18} {'mean s':>8} {'± s':>7} {'MB/s':>9}")
secs = {}
for r in results:
    secs[r["command"]] = r["mean"]
    print(f"{r['command']:<18} {r['mean']:>8.3f} {r['stddev'] or 0:>7.3f} {mb / r['mean']:>9.1f}")
if "casrep timeline" in secs:
    print(f"casrep timeline / rg: {secs['casrep timeline'] / secs['rg -c']:.1f}x the time of rg")
else:
    print("casrep timeline / rg: no working timeline command in this build")
print(f"casrep extract / rg: {secs['casrep extract'] / secs['rg -c']:.1f}x the time of rg")
if rss:
    print(f"peak RSS of casrep timeline: {int(rss) / 1024:.1f} MB")
EOF
