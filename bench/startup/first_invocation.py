#!/usr/bin/env python3
"""First invocation against warm ones (issue 28 item 5): the first invocation end to end (process start, init, the
first event: a 2,000-row file read from moto_server, validated, copied, its manifest and Parquet written) against a
warm invocation of the same kind in the same process. Target: first ≤ 2× warm.

Each run starts moto_server's bucket afresh with its own keys (samples/movies.csv under landing/rN/), starts
`bootstrap` against a fake Lambda Runtime API (loopback, this script) that hands out one ObjectCreated event per key
and then answers 500, which ends the process. Times are from just before the fork (first) or from the `GET /next`
that fetched the event (warm) to the response POST. Wall times: quote them only from an idle machine.

usage: bench/startup/first_invocation.py [--runs 7] [--warm 5] [--aot PATH] [--memory 1024]
"""
import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "ranged")]
from ranged_bench import aws, event_json, free_port  # noqa: E402  (the S3 side of the ranged-read bench)
from startup_bench import FakeRuntimeApi  # noqa: E402  (its replies)

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "samples", "movies.csv")
BUCKET = "first-invocation-bench"


class Runtime(FakeRuntimeApi):
    """The fake Runtime API: the events in order, then 500 (the process exits)."""
    events = []
    served = 0
    t_next = []
    t_post = []

    def do_GET(self):
        now = time.perf_counter_ns()
        cls = Runtime
        if cls.served < len(cls.events):
            cls.t_next.append(now)
            payload = cls.events[cls.served]
            cls.served += 1
            return self._reply(200, payload, {
                "Lambda-Runtime-Aws-Request-Id": f"bench-{cls.served}",
                "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 900_000),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:IngestFunction",
            })
        return self._reply(500, b'{"errorMessage":"benchmark run over","errorType":"ContainerError"}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else self._read_chunked()
        if self.path.endswith("/response") or self.path.endswith("/error"):
            Runtime.t_post.append((time.perf_counter_ns(), self.path.rsplit("/", 1)[-1], body[:300]))
        self._reply(202, b'{"status":"OK"}')


def one_run(binary, api_port, endpoint, run, warm, memory):
    size = os.path.getsize(SAMPLE)
    events = []
    for i in range(warm + 1):
        key = f"landing/r{run}/file{i}.csv"
        put = aws(endpoint, "s3api", "put-object", "--bucket", BUCKET, "--key", key, "--body", SAMPLE)
        events.append(event_json(BUCKET, key, size, put["ETag"], put.get("VersionId"), day=1).encode())
    Runtime.events, Runtime.served, Runtime.t_next, Runtime.t_post = events, 0, [], []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DOTNET_"))}
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api_port}", "AWS_LAMBDA_FUNCTION_NAME": "IngestFunction",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory), "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true", "EVENT_BUS_NAME": "",
    })
    start = time.perf_counter_ns()
    subprocess.run([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if len(Runtime.t_post) != warm + 1:
        raise SystemExit(f"expected {warm + 1} responses, got {len(Runtime.t_post)}")
    bodies = [p[2] for p in Runtime.t_post]
    if not all(b'"accepted"' in b for b in bodies):
        raise SystemExit(f"not every file was accepted: {bodies[0][:300]!r}")
    first = (Runtime.t_post[0][0] - start) / 1e6
    warm_ms = [(Runtime.t_post[i][0] - Runtime.t_next[i]) / 1e6 for i in range(1, warm + 1)]
    return first, statistics.median(warm_ms)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aot", default=os.path.join(ROOT, "artifacts", "function", "bootstrap"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warm", type=int, default=5, help="warm invocations after the first, per process")
    parser.add_argument("--memory", type=int, default=1024, help="AWS_LAMBDA_FUNCTION_MEMORY_SIZE (the heap limit follows it)")
    args = parser.parse_args()

    moto_port, api_port = free_port(), free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{moto_port}"
    server = ThreadingHTTPServer(("127.0.0.1", api_port), Runtime)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(100):
            try:
                aws(endpoint, "s3api", "create-bucket", "--bucket", BUCKET)
                break
            except RuntimeError:
                time.sleep(0.1)
        one_run(args.aot, api_port, endpoint, 0, args.warm, args.memory)  # warm-up: page cache, moto's first requests
        results = [one_run(args.aot, api_port, endpoint, run, args.warm, args.memory) for run in range(1, args.runs + 1)]
    finally:
        server.shutdown()
        moto.terminate()
    firsts = [r[0] for r in results]
    warms = [r[1] for r in results]
    ratios = [f / w for f, w in results]
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load[0]:.2f}, {args.runs} runs of 1 + {args.warm} "
          f"invocations (samples/movies.csv, 2,000 rows), memory {args.memory} MB, {args.aot}")
    print(f"first invocation (start → response): median {statistics.median(firsts):.1f} ms ({min(firsts):.1f}–{max(firsts):.1f})")
    print(f"warm invocation (next → response):   median {statistics.median(warms):.1f} ms ({min(warms):.1f}–{max(warms):.1f})")
    print(f"first / warm: median {statistics.median(ratios):.2f}x ({min(ratios):.2f}–{max(ratios):.2f}); target ≤ 2x")


if __name__ == "__main__":
    sys.exit(main())
