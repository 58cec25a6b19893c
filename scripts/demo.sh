#!/usr/bin/env bash
# `make demo`: the real event-driven chain on this machine, without Docker or an AWS account.
#
#   aws s3 cp ... s3://lake/landing/   ->  moto_server (S3; notification on the template's prefix/suffix)
#        -> SQS queue (redrive to a failure queue)  ->  local Lambda host (tools/IngestLambda.LocalHost)
#        -> the published Native AOT `bootstrap`, through the Lambda Runtime API  ->  raw / quarantine / manifests
#
# Everything it starts (moto_server, the host and its bootstrap processes) is stopped on exit, on Ctrl-C and on
# failure. Set KEEP_RUNNING=1 to leave the topology up until Ctrl-C (or SIGTERM) and try your own uploads; stopping
# it then is the normal end (exit 0). The logs stay in artifacts/demo/. DEMO_BUILD=0 uses the binaries already
# built (the end-to-end test does, tests/IngestLambda.Tests/EndToEnd/DemoScriptTests.cs).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION=${CONFIGURATION:-Release}
BUCKET=lake
RAW=Raw/Local/CSV/ # the function's default RAW_PREFIX: the demo sets none
BOOTSTRAP=artifacts/function/bootstrap
LOCALHOST_DLL=tools/IngestLambda.LocalHost/bin/$CONFIGURATION/net10.0/IngestLambda.LocalHost.dll
ANSWERS_DLL=src/IngestLambda.Analytics/bin/$CONFIGURATION/net10.0/answers.dll
STEPS=7 # the README's list of what `make demo` does has as many items

# Python tools installed by scripts/check-tools.sh live in .venv (the Makefile puts it on PATH the same way).
export PATH="$PWD/.venv/bin:$PATH"
bash scripts/check-tools.sh demo > /dev/null || exit 2

logs=artifacts/demo
rm -rf "$logs"
mkdir -p "$logs"
work=$(mktemp -d -t ingestlambda-demo.XXXXXX)
moto_pid=""
host_pid=""
kept_up=0

# Bold headers on a terminal only, and never with NO_COLOR set (no-color.org), so redirected logs stay plain.
if [[ -t 1 && -z ${NO_COLOR:-} ]]; then
  say() { printf '\033[1m%s\033[0m\n' "$*"; }
else
  say() { printf '%s\n' "$*"; }
fi
step() { say "$1/$STEPS $2"; }
fail() { echo "demo: $*" >&2; exit 1; }

# Stops what this script started, by process id: the host first (it stops its own bootstrap processes; it runs
# in its own process group, so a straggler is ended with the group), then moto_server.
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  trap '' PIPE # a closed output (make demo | head) must not stop the clean-up half-way: writes just fail
  set +e
  echo
  step 7 "Stopping what the demo started: the local host, its bootstrap processes and moto_server"
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
  rm -rf "$work"
  if [[ $status -ne 0 && $status -lt 129 && -f $logs/host.log ]]; then
    echo "--- last lines of the local host's log ($logs/host.log)" >&2
    tail -n 30 "$logs/host.log" >&2
  fi
  echo "demo: stopped (exit $status); logs kept in $logs/: host.log (the function's JSON lines), moto.log"
  exit "$status"
}
# Ctrl-C or SIGTERM while the demo is kept up (KEEP_RUNNING=1) is how it is meant to end: exit 0. Before that,
# they interrupt a demo that did not finish, with the usual 130 and 143 (129 and 141 for a closed terminal or pipe).
interrupted() { ((kept_up)) && exit 0 || exit "$1"; }
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM
trap 'interrupted 129' HUP
trap 'interrupted 141' PIPE

if [[ ${DEMO_BUILD:-1} == 0 ]]; then
  step 1 "Building: skipped (DEMO_BUILD=0): using $BOOTSTRAP, the local host and answers as built"
  for built in "$BOOTSTRAP" "$LOCALHOST_DLL" "$ANSWERS_DLL"; do
    [[ -f $built ]] || fail "DEMO_BUILD=0, but $built is missing (run make publish and make build)"
  done
else
  step 1 "Building: the function (Native AOT, about a minute the first time), the local host and answers"
  make --no-print-directory publish CONFIGURATION="$CONFIGURATION" > "$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; fail "make publish failed"; }
  for project in tools/IngestLambda.LocalHost src/IngestLambda.Analytics; do
    dotnet build "$project" -c "$CONFIGURATION" --nologo -v quiet >> "$logs/build.log" 2>&1 \
      || { cat "$logs/build.log" >&2; fail "building $project failed"; }
  done
fi

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

step 2 "Starting moto_server (S3 + SQS) on a free loopback port"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
moto_server -H 127.0.0.1 -p "$port" > "$logs/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -fsS "$endpoint/moto-api/" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$endpoint/moto-api/" > /dev/null 2>&1 || fail "moto_server did not start (see $logs/moto.log)"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=$endpoint
awsl() { aws --endpoint-url "$endpoint" "$@"; }

step 3 "Creating the lake: bucket s3://$BUCKET (versioned), queue, failure queue, notification on $PREFIX* ending in $SUFFIXES; starting the local Lambda host"
# One Python process for the set-up (a dozen aws CLI calls cost a second or more each on a busy machine); the
# uploads below go through the aws CLI, as a user's would.
read -r queue_url failure_url < <(python3 - "$endpoint" "$BUCKET" "$PREFIX" "$SUFFIXES" <<'EOF'
import json, sys
import boto3
endpoint, bucket, prefix, suffixes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
s3, sqs = boto3.client("s3", endpoint_url=endpoint), boto3.client("sqs", endpoint_url=endpoint)
s3.create_bucket(Bucket=bucket)
s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
arn = lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
failures = sqs.create_queue(QueueName="ingest-failures")["QueueUrl"]
redrive = json.dumps({"deadLetterTargetArn": arn(failures), "maxReceiveCount": "3"})
events = sqs.create_queue(QueueName="ingest-events", Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": "90"})["QueueUrl"]
# One queue configuration per template rule (.csv and .csv.gz), as the deployed stack has one S3 event per suffix.
s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [
    {"Id": "ingest" + suffix, "QueueArn": arn(events), "Events": ["s3:ObjectCreated:*"],
     "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}, {"Name": "suffix", "Value": suffix}]}}}
    for suffix in suffixes]})
print(events, failures)
EOF
)
[[ -n ${queue_url:-} && -n ${failure_url:-} ]] || fail "creating the bucket and the queues failed"

# The host and its bootstrap processes get a process group of their own (setsid), ended as one in cleanup.
setsid dotnet "$LOCALHOST_DLL" --queue-url "$queue_url" --bootstrap "$BOOTSTRAP" --concurrency 2 --timeout 60 \
  --wait-seconds 2 > "$logs/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 100); do grep -q '^localhost: polling' "$logs/host.log" && break; sleep 0.1; done
grep -q '^localhost: polling' "$logs/host.log" || fail "the local host did not start"
echo "    local Lambda host: 2 x $BOOTSTRAP, Runtime API on loopback ($(grep -o 'ports .*' "$logs/host.log" | head -1 | tr -d ')'))"

step 4 "Uploading with aws s3 cp, and waiting for the function to file each upload"
bad="$work/movies-broken.csv"
# A movies file with three classic faults: a year that is not a year, a rating with a decimal comma, a short row.
awk -F'|' 'BEGIN { OFS = "|" } NR == 3 { $4 = "19x9" } NR == 5 { $7 = "7,5" } { print } NR == 8 { print "tt0000008|only three|fields" }' \
  <(head -n 12 samples/movies.csv) > "$bad"
# Movies arrive compressed and Series plain: each dataset lands once, so the answers' snapshot counts each sample's
# 2,000 rows once (a second copy of a dataset in the same day's folder would count twice).
gzip -c samples/movies.csv > "$work/movies.csv.gz"
awsl s3 cp "$work/movies.csv.gz" "s3://$BUCKET/${PREFIX}movies.csv.gz" --only-show-errors
awsl s3 cp samples/series.csv "s3://$BUCKET/${PREFIX}series.csv" --only-show-errors
awsl s3 cp "$bad" "s3://$BUCKET/${PREFIX}movies-broken.csv" --only-show-errors
# An upload cut off half-way: an error of the whole file (invalid-gzip), not of a line.
head -c 40000 "$work/movies.csv.gz" > "$work/movies-cut.csv.gz"
awsl s3 cp "$work/movies-cut.csv.gz" "s3://$BUCKET/${PREFIX}movies-cut.csv.gz" --only-show-errors
echo "    ${PREFIX}movies.csv.gz (samples/movies.csv, gzip), ${PREFIX}series.csv, ${PREFIX}movies-broken.csv (three faults),"
echo "    ${PREFIX}movies-cut.csv.gz (the gzip cut off at 40,000 bytes)"

echo "    waiting for the function to file them..."
# Polled from one Python process: an aws CLI call per look would cost more than the filing itself.
python3 - "$endpoint" "$BUCKET" "${DEMO_TIMEOUT_SECONDS:-120}" <<'EOF' || fail "the files were not all filed within ${DEMO_TIMEOUT_SECONDS:-120} s"
import sys, time
import boto3
endpoint, bucket, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
s3 = boto3.client("s3", endpoint_url=endpoint)
outcomes = ("/movies.csv.gz.json", "/series.csv.json", "/movies-broken.csv.report.json", "/movies-cut.csv.gz.report.json")
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
    if all(any(key.endswith(ending) for key in keys) for ending in outcomes):
        sys.exit(0)
    time.sleep(0.5)
sys.exit(1)
EOF

step 5 "The lake s3://$BUCKET"
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
    print(f"    {report['destination']['key']:<58} {v['errorCount']} error{'s' * (v['errorCount'] != 1)}  (report {key.rsplit('/', 1)[1]})")
    for error in v["errors"][:5]:
        where = f"line {error['line']:>3}" if error["line"] else "file    "  # line 0: an error of the whole file
        print(f"      {where}  {error['column'] or '-':<16} {error['code']:<16} {error['message']}")
EOF

# The function's own log: one JSON line per file (in AWS these land in CloudWatch Logs).
python3 - "$logs/host.log" <<'EOF'
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

failed=$(python3 -c 'import sys, boto3; print(boto3.client("sqs", endpoint_url=sys.argv[1]).get_queue_attributes(
  QueueUrl=sys.argv[2], AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])' "$endpoint" "$failure_url")
echo
echo "  failure queue: $failed message(s)   (set KEEP_RUNNING=1 to keep everything up and try your own uploads)"
grep -c '^localhost: ok' "$logs/host.log" | xargs printf '  invocations answered: %s\n'

# The raw zone is queryable at once: the dataset questions answered from the lake just filled, read through S3
# like any s3:// lake (--no-cache: this lake goes away with the demo), and the HTML report.
echo
step 6 "Asking the lake: answers --lake s3://$BUCKET (embedded DuckDB over the trusted zone just filled; --zone raw reads the CSV copies)"
dotnet "$ANSWERS_DLL" answers --lake "s3://$BUCKET" --no-cache --report artifacts/demo-answers.html

# Data quality (docs/contracts.md "Drift"): each manifest carries its file's profile, and `bootstrap quality`
# compares a dataset's newest day with the day before. This lake holds one day, so the day before is seeded here from
# today's manifests with twice the rows, as if yesterday's delivery had been twice as large: the rows fell by half.
python3 - "$endpoint" "$BUCKET" <<'EOF'
import datetime, json, sys
import boto3
endpoint, bucket = sys.argv[1:3]
s3 = boto3.client("s3", endpoint_url=endpoint)
keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="manifests/") for o in page.get("Contents", [])]
for key in (k for k in keys if k.endswith(".json")):
    dataset, year, month, day, path = key.split("/", 5)[1:]
    report = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    report["profile"]["rows"] *= 2
    for column in report["profile"]["columns"].values():
        column["nulls"] *= 2
    before = datetime.date(int(year), int(month), int(day)) - datetime.timedelta(days=1)
    s3.put_object(Bucket=bucket, Key=f"manifests/{dataset}/{before:%Y/%m/%d}/{path}", Body=json.dumps(report).encode())
EOF
echo
echo "  data quality: bootstrap quality s3://$BUCKET  (today against the day before, seeded with twice the rows)"
"$BOOTSTRAP" quality "s3://$BUCKET" | sed 's/^./    &/' || true # exit 1 here: the seeded drift was found

if [[ ${KEEP_RUNNING:-0} == 1 ]]; then
  # Printed so that it works as pasted into a new shell: the credentials and endpoint come with it.
  echo
  echo "Still running. Try it from another shell; paste these lines:"
  printf '  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=%s\n' "$endpoint"
  printf '  aws --endpoint-url "$AWS_ENDPOINT_URL" s3 cp %q s3://%s/%smine/movies.csv\n' "$PWD/samples/movies.csv" "$BUCKET" "$PREFIX"
  printf '  sleep 5; aws --endpoint-url "$AWS_ENDPOINT_URL" s3 ls s3://%s/%sMovies/ --recursive   # its raw copy, filed\n' "$BUCKET" "$RAW"
  echo "The function's log: $logs/host.log. Ctrl-C here, or kill -TERM $$, stops everything."
  kept_up=1
  wait "$host_pid" || true
  fail "the local host stopped on its own (see $logs/host.log)"
fi
