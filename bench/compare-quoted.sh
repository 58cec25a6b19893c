#!/usr/bin/env bash
# The quoted scanner's cost (issue #23): `bootstrap validate` of the same rows written twice, as the IMDB feeds are
# ('|', no quoting) and as quoted CSV (',', every field but \N and numbers quoted: DataGen --quoted), interleaved
# (A, B, A, B, ...) so both see the same load; then Sep enumerating every field of the quoted file. Reports CPU
# seconds (user+sys, both threads) per GB of each file and per million rows, and the quoted/unquoted ratio.
#
#   bench/compare-quoted.sh [BOOTSTRAP=artifacts/function/bootstrap] [ROWS=1152507] [RUNS=7]
#
# The quoted file is validated against the shipped Movies contract with the quoted dialect (written to a temp folder).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bootstrap="${1:-$ROOT/artifacts/function/bootstrap}"; rows="${2:-1152507}"; runs="${3:-7}"
plain="data/movies-${rows}rows.csv"; quoted="data/movies-${rows}rows-quoted.csv"
datagen="$ROOT/bench/IngestLambda.DataGen/bin/Release/net10.0/IngestLambda.DataGen.dll"
bench_dll="$ROOT/bench/IngestLambda.Benchmarks/bin/Release/net10.0/IngestLambda.Benchmarks.dll"
[[ -f "$datagen" && -f "$bench_dll" ]] || dotnet build bench/IngestLambda.Benchmarks -c Release -v quiet -nologo >&2
mkdir -p data
[[ -f "$plain" ]] || dotnet "$datagen" movies --rows "$rows" --seed 1 -o "$plain" >&2
[[ -f "$quoted" ]] || dotnet "$datagen" movies --rows "$rows" --seed 1 --quoted -o "$quoted" >&2
contracts="$(mktemp -d)"; trap 'rm -rf "$contracts"' EXIT
python3 - "$ROOT/contracts/movies.json" "$contracts/movies.json" <<'PY'
import json, sys
contract = json.load(open(sys.argv[1]))
contract["dialect"] = {"delimiter": ",", "quoteChar": "\""}
json.dump(contract, open(sys.argv[2], "w"))
PY
cat "$plain" "$quoted" > /dev/null # warm the page cache
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD); $rows rows; $runs runs each"
declare -A cpu wall
for ((i = 0; i <= runs; i++)); do
    for which in plain quoted; do
        file=$plain; extra=(); [[ $which == quoted ]] && { file=$quoted; extra=(--contracts "$contracts"); }
        out=$( { /usr/bin/time -f '%e %U %S' "$bootstrap" validate "$file" "${extra[@]}" > /dev/null; } 2>&1 | tail -1 )
        read -r e u s <<< "$out"
        ((i == 0)) && continue
        wall[$which]+="$e "; cpu[$which]+="$(echo "$u + $s" | bc) "
    done
done
best() { tr ' ' '\n' | grep -v '^$' | sort -n | head -1; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "| file | bytes | CPU s best / median | CPU s per GB (best) | CPU s per M rows (best) | wall s best |"
echo "|---|---:|---:|---:|---:|---:|"
for which in plain quoted; do
    file=$plain; [[ $which == quoted ]] && file=$quoted
    bytes=$(stat -c %s "$file"); b=$(echo "${cpu[$which]}" | best); m=$(echo "${cpu[$which]}" | median)
    echo "| $which ($file) | $bytes | $b / $m | $(echo "scale=3; $b * 1000000000 / $bytes" | bc) | $(echo "scale=3; $b * 1000000 / $rows" | bc) | $(echo "${wall[$which]}" | best) |"
done
p=$(echo "${cpu[plain]}" | best); q=$(echo "${cpu[quoted]}" | best)
pb=$(stat -c %s "$plain"); qb=$(stat -c %s "$quoted")
echo "quoted / plain, CPU s per GB (best): $(echo "scale=3; ($q * $pb) / ($p * $qb)" | bc); per row: $(echo "scale=3; $q / $p" | bc)"
dotnet "$bench_dll" file-sep-quoted "$quoted" "$runs"
