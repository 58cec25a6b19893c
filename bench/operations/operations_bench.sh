#!/usr/bin/env bash
# Issue #13 figures (docs/benchmarks.md, "Operations"):
#   1. backfill throughput: 200 small files on moto_server, `bootstrap backfill --concurrency 1, 4, 8` (files/s),
#      each level on a fresh bucket (a second run would only answer duplicate);
#   2. gzip validation rate: `bootstrap validate` of the same CSV plain and as .csv.gz, MB/s of uncompressed data,
#      with CPU seconds (user+sys) and peak RSS from GNU time;
#   3. a gzip bomb: about 1 GiB of valid CSV in about 1 MB of gzip; peak RSS must stay <= 64 MB.
#
#   bench/operations/operations_bench.sh            # needs artifacts/function/bootstrap (make publish), moto_server, aws
#   FILES=200 LEVELS="1 4 8" RUNS=3 bench/operations/operations_bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BOOTSTRAP="${BOOTSTRAP:-$ROOT/artifacts/function/bootstrap}"
FILES="${FILES:-200}"
LEVELS="${LEVELS:-1 4 8}"
RUNS="${RUNS:-3}"
[[ -x "$BOOTSTRAP" ]] || { echo "operations_bench: $BOOTSTRAP is missing; run make publish" >&2; exit 2; }
work=$(mktemp -d)
moto_pid=""
cleanup() { [[ -n "$moto_pid" ]] && kill "$moto_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ); commit $(git rev-parse --short HEAD)"

# --- 1. backfill ---------------------------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/moto-api/" > /dev/null 2>&1 && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" LOG_LEVEL=WARN
mkdir -p "$work/files"
head -n 51 samples/movies.csv > "$work/small.csv"   # header + 50 rows, about 8 KB
for i in $(seq -w 1 "$FILES"); do cp "$work/small.csv" "$work/files/movies-$i.csv"; done
echo "backfill: $FILES files of $(stat -c %s "$work/small.csv") bytes each"
echo "| --concurrency | wall s (median of $RUNS) | files/s | CPU s (user+sys) |"
echo "|---|---|---|---|"
for level in $LEVELS; do
  walls=(); cpus=()
  for run in $(seq "$RUNS"); do
    bucket="bench-$level-$run-$RANDOM"
    aws s3api create-bucket --bucket "$bucket" > /dev/null
    aws s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
    aws s3 cp "$work/files" "s3://$bucket/landing/" --recursive --only-show-errors
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$BOOTSTRAP" backfill "s3://$bucket/landing/" --concurrency "$level" > "$work/out.jsonl" 2> "$work/err.log"
    accepted=$(grep -c '"outcome":"accepted"' "$work/out.jsonl" || true)
    [[ "$accepted" == "$FILES" ]] || { echo "backfill accepted $accepted of $FILES" >&2; tail "$work/err.log" >&2; exit 1; }
    read -r wall user sys < "$work/time"
    walls+=("$wall"); cpus+=("$(python3 -c "print(round($user + $sys, 2))")")
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "| $level | $median | $(python3 -c "print(round($FILES / $median, 1))") | $cpu |"
done

# --- 2. gzip validation rate ---------------------------------------------------------------------------------------
python3 - "$work/big.csv" <<'PYEOF'
import sys
lines = open('samples/movies.csv', 'rb').read().split(b'\n')
header, rows = lines[0] + b'\n', b'\n'.join(l for l in lines[1:] if l) + b'\n'
with open(sys.argv[1], 'wb') as f:
    f.write(header)
    written = 0
    while written < 200_000_000:
        f.write(rows); written += len(rows)
PYEOF
gzip -6 -c "$work/big.csv" > "$work/big.csv.gz"
csv_bytes=$(stat -c %s "$work/big.csv")
echo
echo "validate: $csv_bytes bytes of CSV; gzip -6: $(stat -c %s "$work/big.csv.gz") bytes"
echo "| file | wall s (median of $RUNS) | MB/s of CSV | CPU s (user+sys) | peak RSS MB |"
echo "|---|---|---|---|---|"
for file in big.csv big.csv.gz; do
  cat "$work/$file" > /dev/null
  walls=(); cpus=(); rss=()
  for run in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$BOOTSTRAP" validate "$work/$file" > /dev/null
    read -r wall user sys kb < "$work/time"
    walls+=("$wall"); cpus+=("$(python3 -c "print(round($user + $sys, 2))")"); rss+=("$kb")
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  echo "| $file | $median | $(python3 -c "print(round($csv_bytes / 1e6 / $median, 1))") | $cpu | $(( peak / 1024 )) |"
done

# --- 3. gzip bomb --------------------------------------------------------------------------------------------------
python3 - "$work/bomb.csv.gz" <<'PYEOF'
import sys, zlib
lines = open('samples/movies.csv', 'rb').read().split(b'\n')
header, row = lines[0] + b'\n', lines[1] + b'\n'
block = row * (1_048_576 // len(row))
c = zlib.compressobj(9, zlib.DEFLATED, 31)
with open(sys.argv[1], 'wb') as f:
    f.write(c.compress(header))
    total = len(header)
    while total < 1 << 30:
        f.write(c.compress(block)); total += len(block)
    f.write(c.flush())
print(total, file=open(sys.argv[1] + '.size', 'w'))
PYEOF
/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$BOOTSTRAP" validate "$work/bomb.csv.gz" > "$work/bomb.out" || true
read -r wall user sys kb < "$work/time"
echo
echo "gzip bomb: $(stat -c %s "$work/bomb.csv.gz") bytes of gzip, $(cat "$work/bomb.csv.gz.size") bytes of CSV: $(head -1 "$work/bomb.out")"
echo "  wall $wall s, CPU $(python3 -c "print(round($user + $sys, 2))") s, peak RSS $(( kb / 1024 )) MB (target <= 64 MB)"
