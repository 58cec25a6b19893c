#!/usr/bin/env bash
# Issue #27 figure (docs/benchmarks.md, "Data quality"): `bootstrap quality` over DAYS days x 2 datasets of manifests
# on moto_server (target: <= 10 s for 365 days). The manifests are `bootstrap validate --json` reports of the
# samples (so they carry real profiles), put once per day and dataset with boto3; the last day's Movies ratings are
# made half null, so the run finds drift (exit 1). Wall time and CPU (user+sys) of the command, median of RUNS.
#
#   bench/quality/quality_bench.sh            # needs artifacts/function/bootstrap (make publish), moto_server, boto3
#   DAYS=365 RUNS=3 bench/quality/quality_bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BOOTSTRAP="${BOOTSTRAP:-$ROOT/artifacts/function/bootstrap}"
DAYS="${DAYS:-365}"
RUNS="${RUNS:-3}"
[[ -x "$BOOTSTRAP" ]] || { echo "quality_bench: $BOOTSTRAP is missing; run make publish" >&2; exit 2; }
work=$(mktemp -d)
moto_pid=""
cleanup() { [[ -n "$moto_pid" ]] && kill "$moto_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ); commit $(git rev-parse --short HEAD)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/moto-api/" > /dev/null 2>&1 && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"

"$BOOTSTRAP" validate samples/movies.csv --json > "$work/movies.json"
"$BOOTSTRAP" validate samples/series.csv --json > "$work/series.json"
python3 - "$work" "$DAYS" <<'PY'
import json, sys, datetime, boto3
work, days = sys.argv[1], int(sys.argv[2])
s3 = boto3.client("s3")
s3.create_bucket(Bucket="lake")
first = datetime.date(2026, 1, 1)
for name, dataset in (("movies", "Movies"), ("series", "Series")):
    report = json.load(open(f"{work}/{name}.json"))
    for d in range(days):
        day = first + datetime.timedelta(days=d)
        if dataset == "Movies" and d == days - 1:
            rating = report["profile"]["columns"]["notaMedia"]
            report = json.loads(json.dumps(report))
            report["profile"]["columns"]["notaMedia"]["nulls"] = report["profile"]["rows"] // 2
        key = f"manifests/{dataset}/{day:%Y/%m/%d}/{name}.csv.json"
        s3.put_object(Bucket="lake", Key=key, Body=json.dumps(report).encode())
print(f"put {2 * days} manifests", file=sys.stderr)
PY

walls=(); cpus=()
for _ in $(seq "$RUNS"); do
  set +e
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$BOOTSTRAP" quality s3://lake > "$work/out" 2> "$work/err"
  code=$?
  set -e
  read -r wall user sys < <(tail -n 1 "$work/time")
  walls+=("$wall"); cpus+=("$(python3 -c "print(round($user + $sys, 2))")")
done
cat "$work/out"
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "quality s3://lake over $DAYS days x 2 datasets ($(( 2 * DAYS )) manifests): exit $code, wall $(median "${walls[@]}") s (median of $RUNS; all: ${walls[*]}), CPU $(median "${cpus[@]}") s"
