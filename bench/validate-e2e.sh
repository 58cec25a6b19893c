#!/usr/bin/env bash
# End-to-end measurement of `bootstrap validate` (issue #2): wall-clock throughput (SHA-256 included) and peak RSS
# on synthetic movies files of 1 MB, 200 MB and 1 GB, beside Sep enumerating every field of the same file.
#
#   bench/validate-e2e.sh                 # publish if needed, generate missing files, measure
#   RUNS=9 SIZES="200MB 1GB" bench/validate-e2e.sh
#   BOOTSTRAP=/path/to/bootstrap NO_SEP=1 bench/validate-e2e.sh
#   WAIT_IDLE=300 bench/validate-e2e.sh  # on a shared machine: before each file, wait up to 300 s for an idle second
#
# Files go to data/ (git-ignored) unless DATA_DIR says otherwise. Each file is read once first to warm the page cache,
# then validated RUNS times (default 5); the median wall-clock time gives GB/s (10^9 bytes/s), GNU time gives peak RSS
# and CPU time (user+sys of both threads: on a busy machine wall-clock is inflated by waiting for a core, CPU time is not).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-5}"
SIZES="${SIZES:-1MB 200MB 1GB}"
DATA_DIR="${DATA_DIR:-$ROOT/data}"
BOOTSTRAP="${BOOTSTRAP:-$ROOT/artifacts/function/bootstrap}"
SEED="${SEED:-1}"

if ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "validate-e2e: GNU time (/usr/bin/time -v) is needed for peak RSS; install it with: apt-get install -y time" >&2
    exit 2
fi

if [[ ! -x "$BOOTSTRAP" ]]; then
    echo "validate-e2e: $BOOTSTRAP is missing; running make publish" >&2
    make publish >&2
fi

datagen_dll="$ROOT/bench/IngestLambda.DataGen/bin/Release/net10.0/IngestLambda.DataGen.dll"
bench_dll="$ROOT/bench/IngestLambda.Benchmarks/bin/Release/net10.0/IngestLambda.Benchmarks.dll"
if [[ ! -f "$datagen_dll" || ( -z "${NO_SEP:-}" && ! -f "$bench_dll" ) ]]; then
    dotnet build "$ROOT/bench/IngestLambda.Benchmarks" -c Release -v quiet -nologo >&2
fi

mkdir -p "$DATA_DIR"
# Waits (up to WAIT_IDLE seconds) for a 1-second sample in which the CPUs are at least 97 % idle; says what it found.
wait_idle() {
    local deadline=$((SECONDS + ${WAIT_IDLE:-0})) u n s i w x y z t1 i1 t2 i2 idle=0
    while :; do
        read -r _ u n s i w x y z _ < /proc/stat; t1=$((u + n + s + i + w + x + y + z)); i1=$((i + w))
        sleep 1
        read -r _ u n s i w x y z _ < /proc/stat; t2=$((u + n + s + i + w + x + y + z)); i2=$((i + w))
        idle=$((100 * (i2 - i1) / (t2 - t1)))
        if ((idle >= 97 || SECONDS >= deadline)); then
            echo "$idle"
            return
        fi
    done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
min() { sort -n | head -1; }

echo "# bootstrap validate, end to end ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "bootstrap: $BOOTSTRAP ($(stat -c %s "$BOOTSTRAP") bytes); runs per file: $RUNS (median and best reported)"
echo
echo "| file | bytes | median s | GB/s (median) | GB/s (best) | CPU s (user+sys, median) | peak RSS MiB (max of runs) | Sep GB/s (median) | ours / Sep |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"

declare -A RSS GBPS RATIO
for size in $SIZES; do
    file="$DATA_DIR/movies-$size.csv"
    if [[ ! -f "$file" ]]; then
        dotnet "$datagen_dll" movies --size "$size" --seed "$SEED" -o "$file.partial" >&2
        mv "$file.partial" "$file"
    fi
    bytes=$(stat -c %s "$file")
    cat "$file" > /dev/null # warm the page cache: we measure validation, not the disk
    idle_note=""
    if [[ -n "${WAIT_IDLE:-}" ]]; then
        idle_note=" (started at $(wait_idle) % idle)"
    fi

    # One checked run first: a synthetic file must be accepted, or something is wrong on one side or the other.
    rc=0
    "$BOOTSTRAP" validate "$file" > "$DATA_DIR/.e2e-validate.out" 2>&1 || rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "validate-e2e: $file was NOT accepted (exit $rc):" >&2
        head -30 "$DATA_DIR/.e2e-validate.out" >&2
        exit 1
    fi

    times=(); rss=(); cpu=()
    for ((i = 0; i < RUNS; i++)); do
        start=$(date +%s%N)
        /usr/bin/time -v -o "$DATA_DIR/.e2e-time.out" "$BOOTSTRAP" validate "$file" > /dev/null
        end=$(date +%s%N)
        times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')")
        rss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$DATA_DIR/.e2e-time.out")")
        cpu+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$DATA_DIR/.e2e-time.out")")
    done
    med=$(printf '%s\n' "${times[@]}" | median)
    best=$(printf '%s\n' "${times[@]}" | min)
    cpu_med=$(printf '%s\n' "${cpu[@]}" | median)
    peak_kb=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    gbps=$(awk -v b="$bytes" -v s="$med" 'BEGIN { printf "%.3f", b / s / 1e9 }')
    gbps_best=$(awk -v b="$bytes" -v s="$best" 'BEGIN { printf "%.3f", b / s / 1e9 }')
    peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    RSS[$size]=$peak_kb; GBPS[$size]=$gbps

    sep="-"; ratio="-"
    if [[ -z "${NO_SEP:-}" && $bytes -ge 100000000 ]]; then
        sep_line=$(dotnet "$bench_dll" file-sep "$file" "$RUNS")
        sep=$(sed -E 's/.* = ([0-9.]+) GB\/s.*/\1/' <<< "$sep_line")
        ratio=$(awk -v a="$gbps" -v b="$sep" 'BEGIN { printf "%.2fx", a / b }')
        RATIO[$size]=${ratio%x}
    fi
    echo "| movies-$size.csv$idle_note | $bytes | $med | $gbps | $gbps_best | $cpu_med | $peak_mb | $sep | $ratio |"
done
rm -f "$DATA_DIR/.e2e-time.out" "$DATA_DIR/.e2e-validate.out"

# The targets of issue #2 that this script can judge.
echo
verdict() { if awk "BEGIN { exit !($2) }"; then echo "- met: $1"; else echo "- MISSED: $1"; fi; }
[[ -n "${GBPS[200MB]:-}" ]] && verdict "end to end on 200 MB >= 1.0 GB/s (${GBPS[200MB]} GB/s)" "${GBPS[200MB]} >= 1.0"
if [[ -n "${RSS[1GB]:-}" ]]; then
    verdict "peak RSS on 1 GB <= 40 MiB ($(awk -v k="${RSS[1GB]}" 'BEGIN { printf "%.1f", k / 1024 }') MiB)" "${RSS[1GB]} <= 40 * 1024"
    [[ -n "${RSS[1MB]:-}" ]] && verdict "peak RSS on 1 GB <= 1.10 x the 1 MB case ($(awk -v a="${RSS[1GB]}" -v b="${RSS[1MB]}" 'BEGIN { printf "%.3f", a / b }') x)" "${RSS[1GB]} <= 1.10 * ${RSS[1MB]}"
fi
[[ -n "${RATIO[200MB]:-}" ]] && verdict "end to end on 200 MB >= 1.3 x Sep's field enumeration of the same file (${RATIO[200MB]} x)" "${RATIO[200MB]} >= 1.3"
echo "(Sep here reads the same file from the page cache, in a JIT process, median of $RUNS after one warm-up run.)"
