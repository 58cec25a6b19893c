#!/usr/bin/env python3
"""Start-up benchmark of `bootstrap` (issue #4): Native AOT vs a self-contained JIT build, and vs the floor (issue
#12): MinimalRuntime/, the smallest Native AOT runtime client, built the same way with nothing of ours in it.

For each run a fresh process is started against a fake Lambda Runtime API (loopback, this script) that records when
the first `GET /next` arrives and when the invocation's response (or error) POST arrives. The invocation is the
s3:TestEvent (no S3 needed). After it, /next answers 500, which makes the runtime exit. Times are from just before
the fork to the moment the fake has read the request.

Peak RSS is measured in separate runs under /usr/bin/time: a child forked from this Python process inherits the
parent's RSS high-water mark up to exec (Linux keeps the larger of the two in ru_maxrss), so wait4() here would
report Python's own ~22 MB, not the runtime's. /usr/bin/time is a small C program (about 1 MB).

usage: bench/startup/startup_bench.py [--runs 11] [--build] [--aot PATH] [--jit PATH] [--builds aot,jit,floor]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AOT_DEFAULT = os.path.join(ROOT, "artifacts", "function", "bootstrap")
JIT_DIR = os.path.join(ROOT, "artifacts", "bench", "startup-jit")
FLOOR_DIR = os.path.join(ROOT, "artifacts", "bench", "startup-floor")
EVENT = os.path.join(ROOT, "events", "s3-test-event.json")


class Run:
    """What the fake saw during one process lifetime."""

    def __init__(self, payload):
        self.payload = payload
        self.request_id = str(uuid.uuid4())
        self.served = False
        self.t_start = 0
        self.t_next = None
        self.t_post = None
        self.pid = None
        self.cpu_next = None  # CPU ns the process (all its threads) had used when its first /next arrived
        self.cpu_post = None
        self.post_kind = None
        self.post_body = None
        self.done = threading.Event()


class FakeRuntimeApi(BaseHTTPRequestHandler):
    run = None  # the current Run, set by the driver
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _reply(self, status, body=b"{}", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        now = time.perf_counter_ns()
        run = FakeRuntimeApi.run
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self._reply(404)
        if run.t_next is None:
            run.t_next = now
            run.cpu_next = cpu_ns(run.pid)
        if not run.served:
            run.served = True
            deadline = int(time.time() * 1000) + 900_000
            return self._reply(200, run.payload, {
                "Lambda-Runtime-Aws-Request-Id": run.request_id,
                "Lambda-Runtime-Deadline-Ms": str(deadline),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:IngestFunction",
                "Lambda-Runtime-Trace-Id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
            })
        # Drained: a container error makes the runtime exit, which ends the run.
        return self._reply(500, b'{"errorMessage":"benchmark run over","errorType":"ContainerError"}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else self._read_chunked()
        now = time.perf_counter_ns()
        run = FakeRuntimeApi.run
        kind = self.path.rsplit("/", 1)[-1]
        if kind in ("response", "error") and run.t_post is None:
            run.t_post, run.post_kind, run.post_body = now, kind, body
            run.cpu_post = cpu_ns(run.pid)
        self._reply(202, b'{"status":"OK"}')

    def _read_chunked(self):
        data = b""
        while True:
            size = int(self.rfile.readline().strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return data
            data += self.rfile.read(size)
            self.rfile.readline()


def fmt(ms):
    return "?" if ms is None else f"{ms:.1f}"


def cpu_ns(pid):
    """CPU time so far of every thread of pid, in ns, from the scheduler's own accounting (/proc/PID/task/*/schedstat):
    unlike wall time it does not grow while a loaded machine runs something else."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
    except (OSError, ValueError):
        return None
    return total


EXTRA_ENV = {}
RSS_RUNS = 3


def lambda_env(port):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DOTNET_"))}
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": "IngestFunction",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    env.update(EXTRA_ENV)
    return env


def run_once(binary, port, payload):
    """One timed run: process start to the first /next and to the response (or error) POST."""
    run = Run(payload)
    FakeRuntimeApi.run = run
    env = lambda_env(port)
    run.t_start = time.perf_counter_ns()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run.pid = proc.pid
    status = proc.wait()
    if run.t_next is None:
        raise SystemExit(f"{binary} never called /next (exit status {status})")
    ms = lambda t: None if t is None else (t - run.t_start) / 1e6
    cpu_ms = lambda ns: None if ns is None else ns / 1e6
    return {"next_ms": ms(run.t_next), "post_ms": ms(run.t_post), "post": run.post_kind,
            "cpu_next_ms": cpu_ms(run.cpu_next), "cpu_post_ms": cpu_ms(run.cpu_post),
            "body": (run.post_body or b"")[:300].decode("utf-8", "replace")}


def peak_rss_mb(binary, port, payload):
    """One run under /usr/bin/time for the runtime's own peak RSS (see the module docstring)."""
    run = Run(payload)
    FakeRuntimeApi.run = run
    out = subprocess.run(["/usr/bin/time", "-f", "%M", binary], env=lambda_env(port),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def summarize(name, binary, runs, port, payload):
    run_once(binary, port, payload)  # warm-up: page cache, not counted
    results = [run_once(binary, port, payload) for _ in range(runs)]
    rss = [peak_rss_mb(binary, port, payload) for _ in range(RSS_RUNS)]
    med = lambda key: statistics.median(r[key] for r in results if r[key] is not None)
    rng = lambda key: (min(r[key] for r in results), max(r[key] for r in results))
    kinds = sorted({r["post"] or "none" for r in results})
    return {"name": name, "binary": binary, "runs": runs, "size_mb": os.path.getsize(binary) / 1e6,
            "next_ms": med("next_ms"), "next_range": rng("next_ms"),
            "post_ms": med("post_ms") if any(r["post_ms"] for r in results) else None,
            "post_range": rng("post_ms") if all(r["post_ms"] for r in results) else None,
            "cpu_next_ms": med("cpu_next_ms"), "cpu_post_ms": med("cpu_post_ms"),
            "post_kind": "/".join(kinds), "maxrss_mb": statistics.median(rss), "maxrss_range": (min(rss), max(rss)),
            "sample_body": results[-1]["body"]}


def build_jit():
    subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "IngestLambda", "IngestLambda.csproj"),
                    "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishAot=false", "-o", JIT_DIR],
                   check=True)


def build_floor():
    subprocess.run(["dotnet", "publish", os.path.join(ROOT, "bench", "startup", "MinimalRuntime", "MinimalRuntime.csproj"),
                    "-c", "Release", "-r", "linux-x64", "-o", FLOOR_DIR], check=True)


def machine():
    model = cores = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("CPU(s):"):
                cores = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = os.getloadavg()
    return f"{model}, {cores} CPUs, {platform.system()} {platform.release()}, load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="measured runs per build (median reported; >= 9)")
    parser.add_argument("--build", action="store_true", help="(re)build the JIT comparison build first")
    parser.add_argument("--aot", default=AOT_DEFAULT, help="the Native AOT bootstrap (make publish)")
    parser.add_argument("--jit", default=os.path.join(JIT_DIR, "bootstrap"), help="the self-contained JIT bootstrap")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for every build")
    parser.add_argument("--event", default=EVENT, help="the invocation payload (default: the s3:TestEvent)")
    parser.add_argument("--floor", default=os.path.join(FLOOR_DIR, "bootstrap"), help="the minimal runtime client (built when missing)")
    parser.add_argument("--builds", default="aot,jit", help="which builds to run, comma-separated: aot, jit, floor")
    parser.add_argument("--json", action="store_true", help="print raw JSON instead of the Markdown table")
    args = parser.parse_args()

    EXTRA_ENV.update(item.split("=", 1) for item in args.env)
    builds = [b.strip() for b in args.builds.split(",")]
    if "jit" in builds and (args.build or not os.path.exists(args.jit)):
        build_jit()
    if "floor" in builds and (args.build or not os.path.exists(args.floor)):
        build_floor()
    named = {"aot": ("Native AOT", args.aot), "jit": ("JIT, self-contained", args.jit),
             "floor": ("floor: minimal AOT runtime client", args.floor)}
    for build in builds:
        if build not in named:
            raise SystemExit(f"unknown build '{build}' (aot, jit, floor)")
        if not os.path.exists(named[build][1]):
            raise SystemExit(f"{named[build][1]} is missing (AOT: make publish; JIT: --build)")
    payload = open(args.event, "rb").read()

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRuntimeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        rows = {build: summarize(named[build][0], named[build][1], args.runs, port, payload) for build in builds}
    finally:
        server.shutdown()

    if args.json:
        print(json.dumps(list(rows.values()), indent=2))
        return
    print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.runs} timed runs each after one warm-up, peak RSS from {RSS_RUNS} more under /usr/bin/time.\n")
    print("| build | size | start → first `GET /next` (median, min–max) | start → response POST (median, min–max) | CPU ms to `next` / to POST (median) | peak RSS (median of 3) |")
    print("|---|---:|---:|---:|---:|---:|")
    for build, r in rows.items():
        post = "n/a" if r["post_ms"] is None else f"{r['post_ms']:.1f} ms ({r['post_range'][0]:.1f}–{r['post_range'][1]:.1f}) {r['post_kind']}"
        size = f"{r['size_mb']:.2f} MB apphost + framework" if build == "jit" else f"{r['size_mb']:.1f} MB"
        print(f"| {r['name']} | {size} | {r['next_ms']:.1f} ms ({r['next_range'][0]:.1f}–{r['next_range'][1]:.1f}) | {post} | {fmt(r['cpu_next_ms'])} / {fmt(r['cpu_post_ms'])} | {r['maxrss_mb']:.1f} MB |")
    aot, jit, floor = rows.get("aot"), rows.get("jit"), rows.get("floor")
    if aot and jit:
        print(f"\nAOT is {jit['next_ms'] / aot['next_ms']:.1f}x faster to the first `next`"
              + ("" if aot["post_ms"] is None or jit["post_ms"] is None else f", {jit['post_ms'] / aot['post_ms']:.1f}x to the POST") + ".")
    if aot and floor:
        print(f"\nbootstrap takes {aot['next_ms'] - floor['next_ms']:.1f} ms more than the floor to the first `next`"
              f" ({fmt(aot['cpu_next_ms'] - floor['cpu_next_ms']) if aot['cpu_next_ms'] and floor['cpu_next_ms'] else '?'} CPU ms more).")
    if aot:
        print(f"AOT body: {aot['sample_body']}")


if __name__ == "__main__":
    sys.exit(main())
