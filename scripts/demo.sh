#!/usr/bin/env bash
# `make demo`: the real event-driven chain on this machine, without Docker or an AWS account.
#
#   aws s3 cp ... s3://lake/landing/   ->  moto_server (S3; notification on the template's prefix/suffix)
#        -> SQS queue (redrive to a failure queue)  ->  local Lambda host (tools/IngestLambda.LocalHost)
#        -> the published Native AOT `bootstrap`, through the Lambda Runtime API  ->  raw / quarantine / manifests
#
# Everything it starts (moto_server, the host and its bootstrap processes) is stopped on exit, on Ctrl-C and on
# failure. Set KEEP_RUNNING=1 to leave the topology up until Ctrl-C and try your own uploads.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION=${CONFIGURATION:-Release}
BUCKET=lake
BOOTSTRAP=artifacts/function/bootstrap
LOCALHOST_DLL=tools/IngestLambda.LocalHost/bin/$CONFIGURATION/net10.0/IngestLambda.LocalHost.dll

work=$(mktemp -d -t ingestlambda-demo.XXXXXX)
moto_pid=""
host_pid=""

say() { printf '\033[1m%s\033[0m\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

# Stops what this script started, by process id: the host first (it stops its own bootstrap processes; it runs
# in its own process group, so a straggler is ended with the group), then moto_server.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $host_pid ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill -TERM "$host_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$host_pid" 2>/dev/null || true
  fi
  if [[ -n $moto_pid ]] && kill -0 "$moto_pid" 2>/dev/null; then
    kill -TERM "$moto_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$moto_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  # Ctrl-C (130) and SIGTERM (143) are a user's choice, not a failure: only a failure keeps the logs.
  if [[ $status -ne 0 && $status -ne 130 && $status -ne 143 && -f $work/host.log ]]; then
    echo "--- last lines of the local host's log ($work/host.log kept)" >&2
    tail -n 30 "$work/host.log" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in dotnet moto_server aws python3 setsid; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH"
done

say "1/5 Building: the function (Native AOT, about a minute the first time) and the local host"
make --no-print-directory publish CONFIGURATION="$CONFIGURATION" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "make publish failed"; }
dotnet build tools/IngestLambda.LocalHost -c "$CONFIGURATION" --nologo -v quiet > "$work/build-host.log" 2>&1 \
  || { cat "$work/build-host.log" >&2; fail "building the local host failed"; }

# The notification filter comes from template.yaml, so the demo routes exactly what the deployed stack routes.
read -r PREFIX SUFFIXES < <(python3 - <<'EOF'
import yaml
class Loader(yaml.SafeLoader): pass
def tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}
Loader.add_multi_constructor('!', tagged)
template = yaml.load(open('template.yaml'), Loader=Loader)
events = template['Resources']['IngestFunction']['Properties']['Events'].values()
rules = [{r['Name']: r['Value'] for r in e['Properties']['Filter']['S3Key']['Rules']} for e in events if e['Type'] == 'S3']
resolve = lambda v: template['Parameters'][v['Ref']]['Default'] if isinstance(v, dict) else v
prefixes = {resolve(r['prefix']) for r in rules}
assert len(prefixes) == 1, prefixes
print(prefixes.pop(), ','.join(resolve(r['suffix']) for r in rules))
EOF
)

say "2/5 Starting moto_server (S3 + SQS) on a free loopback port"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -fsS "$endpoint/moto-api/" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$endpoint/moto-api/" > /dev/null 2>&1 || fail "moto_server did not start (see $work/moto.log)"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=$endpoint
awsl() { aws --endpoint-url "$endpoint" "$@"; }

say "3/5 Creating the lake: bucket s3://$BUCKET (versioned), queue, failure queue, notification on $PREFIX* ending in $SUFFIXES"
awsl s3api create-bucket --bucket "$BUCKET" > /dev/null
awsl s3api put-bucket-versioning --bucket "$BUCKET" --versioning-configuration Status=Enabled
failure_url=$(awsl sqs create-queue --queue-name ingest-failures --query QueueUrl --output text)
failure_arn=$(awsl sqs get-queue-attributes --queue-url "$failure_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)
redrive=$(printf '{"deadLetterTargetArn":"%s","maxReceiveCount":"3"}' "$failure_arn")
queue_url=$(awsl sqs create-queue --queue-name ingest-events \
  --attributes "$(python3 -c 'import json,sys; print(json.dumps({"RedrivePolicy": sys.argv[1], "VisibilityTimeout": "90"}))' "$redrive")" \
  --query QueueUrl --output text)
queue_arn=$(awsl sqs get-queue-attributes --queue-url "$queue_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)
# One queue configuration per template rule (.csv and .csv.gz), as the deployed stack has one S3 event per suffix.
awsl s3api put-bucket-notification-configuration --bucket "$BUCKET" --notification-configuration "$(python3 -c '
import json, sys
arn, prefix, suffixes = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
print(json.dumps({"QueueConfigurations": [{"Id": "ingest" + s, "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
  "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}, {"Name": "suffix", "Value": s}]}}} for s in suffixes]}))
' "$queue_arn" "$PREFIX" "$SUFFIXES")"

# The host and its bootstrap processes get a process group of their own (setsid), ended as one in cleanup.
setsid dotnet "$LOCALHOST_DLL" --queue-url "$queue_url" --bootstrap "$BOOTSTRAP" --concurrency 2 --timeout 60 \
  --wait-seconds 2 > "$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 100); do grep -q '^localhost: polling' "$work/host.log" && break; sleep 0.1; done
grep -q '^localhost: polling' "$work/host.log" || fail "the local host did not start"
echo "    local Lambda host: 2 x $BOOTSTRAP, Runtime API on loopback ($(grep -o 'ports .*' "$work/host.log" | head -1 | tr -d ')'))"

say "4/5 Uploading with aws s3 cp"
bad="$work/movies-broken.csv"
# A movies file with three classic faults: a year that is not a year, a rating with a decimal comma, a short row.
awk -F'|' 'BEGIN { OFS = "|" } NR == 3 { $4 = "19x9" } NR == 5 { $7 = "7,5" } { print } NR == 8 { print "tt0000008|only three|fields" }' \
  <(head -n 12 samples/movies.csv) > "$bad"
awsl s3 cp samples/movies.csv "s3://$BUCKET/${PREFIX}movies.csv" --only-show-errors
awsl s3 cp samples/series.csv "s3://$BUCKET/${PREFIX}series.csv" --only-show-errors
awsl s3 cp "$bad" "s3://$BUCKET/${PREFIX}movies-broken.csv" --only-show-errors
gzip -c samples/series.csv > "$work/series.csv.gz"
awsl s3 cp "$work/series.csv.gz" "s3://$BUCKET/${PREFIX}extracts/series.csv.gz" --only-show-errors
echo "    ${PREFIX}movies.csv, ${PREFIX}series.csv, ${PREFIX}movies-broken.csv, ${PREFIX}extracts/series.csv.gz"

echo "    waiting for the function to file them..."
keys() { awsl s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].Key' --output text; }
deadline=$((SECONDS + ${DEMO_TIMEOUT_SECONDS:-120}))
while (( SECONDS < deadline )); do
  listing=$(keys)
  if grep -q '/movies\.csv\.json' <<<"$listing" && grep -q '/series\.csv\.json' <<<"$listing" \
     && grep -q 'movies-broken\.csv\.report\.json' <<<"$listing" && grep -q '/series\.csv\.gz\.json' <<<"$listing"; then
    break
  fi
  sleep 0.5
done
listing=$(keys)
grep -q 'movies-broken\.csv\.report\.json' <<<"$listing" && grep -q '/series\.csv\.json' <<<"$listing" \
  && grep -q '/movies\.csv\.json' <<<"$listing" && grep -q '/series\.csv\.gz\.json' <<<"$listing" || fail "the files were not all filed within ${DEMO_TIMEOUT_SECONDS:-120} s"

say "5/5 The lake s3://$BUCKET"
python3 - "$endpoint" "$BUCKET" "$PREFIX" <<'EOF'
import json, sys
import boto3
endpoint, bucket, landing = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint)
objects = [o for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
read = lambda key: json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
def section(title, keys):
    print(f"\n  {title}")
    for key in keys:
        yield key

by_key = {o["Key"]: o for o in objects}
for key in section(f"{landing}  (as uploaded; never changed)", [k for k in by_key if k.startswith(landing)]):
    print(f"    {key:<58} {by_key[key]['Size']:>9,} bytes")

manifests = {k: read(k) for k in by_key if k.startswith("manifests/")}
for key, report in section("accepted -> raw copy (byte-identical) + manifest", manifests.items()):
    v = report["validation"]
    print(f"    {report['destination']['key']:<58} {v['rows']:>6,} rows  {v['bytes']:>9,} bytes  crc64nvme {v['crc64nvme']}")
    print(f"      manifest {key}")

reports = {k: read(k) for k in by_key if k.startswith("quarantine/") and k.endswith(".report.json")}
for key, report in section("rejected -> quarantine + report", reports.items()):
    v = report["validation"]
    print(f"    {report['destination']['key']:<58} {v['errorCount']} errors  (report {key.rsplit('/', 1)[1]})")
    for error in v["errors"][:5]:
        print(f"      line {error['line']:>3}  {error['column'] or '-':<16} {error['code']:<16} {error['message']}")
EOF

# The function's own log: one JSON line per file (in AWS these land in CloudWatch Logs).
python3 - "$work/host.log" <<'EOF'
import json, re, sys
print("\n  function log (one JSON line per file; in AWS: the stack's log group)")
for line in open(sys.argv[1], encoding="utf-8"):
    match = re.match(r"\[bootstrap#\d+\] (\{.*\})$", line.strip())
    if not match:
        continue
    try:
        entry = json.loads(match.group(1))
    except ValueError:
        continue
    if "outcome" in entry:
        subject = entry.get("key") or ("(S3's test event)" if entry["outcome"] == "skipped" else "-")
        print(f"    {entry.get('level', ''):<5} {entry['outcome']:<9} {subject:<34} {entry.get('durationMs', '?')} ms")
EOF

failed=$(awsl sqs get-queue-attributes --queue-url "$failure_url" --attribute-names ApproximateNumberOfMessages \
  --query Attributes.ApproximateNumberOfMessages --output text)
echo
echo "  failure queue: $failed message(s)   (set KEEP_RUNNING=1 to keep everything up and try your own uploads)"
grep -c '^localhost: ok' "$work/host.log" | xargs printf '  invocations answered: %s\n'

# The raw zone is queryable at once: the dataset questions answered from the lake just filled (issue #10), read
# through S3 like any s3:// lake (the snapshot's objects are cached in the work folder), and the HTML report.
echo
say "Asking the lake: answers --lake s3://$BUCKET (embedded DuckDB over the raw zone just filled)"
dotnet build src/IngestLambda.Analytics -c "$CONFIGURATION" --nologo -v quiet > "$work/build-answers.log" 2>&1 \
  || { cat "$work/build-answers.log" >&2; fail "building src/IngestLambda.Analytics failed"; }
mkdir -p artifacts
ANSWERS_CACHE_DIR="$work/answers-cache" dotnet "src/IngestLambda.Analytics/bin/$CONFIGURATION/net10.0/answers.dll" \
  answers --lake "s3://$BUCKET" --report artifacts/demo-answers.html

if [[ ${KEEP_RUNNING:-0} == 1 ]]; then
  echo
  echo "Still running; try: aws --endpoint-url $endpoint s3 cp FILE s3://$BUCKET/${PREFIX}   (Ctrl-C stops everything)"
  echo "host log: $work/host.log"
  wait "$host_pid"
fi
