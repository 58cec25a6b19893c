#!/usr/bin/env python3
"""Ranged-read bench (issue 29): the published `bootstrap invoke` reading a big object through a throttling proxy.

A TCP proxy on loopback sits between the function and moto_server and caps each connection's download at
--rate MB/s (a stand-in for the per-stream limit of S3 inside Lambda). The function is run once per connection
count: RANGED_READ_CONCURRENCY 1, 2, 4, 8 (ranged read), plus today's single GET (the threshold set above the
object's size). Printed per run: wall time, read + validate time (the record's validationMs), CPU and peak RSS of
the process (GNU time). The whole bench stops itself after --budget seconds.

moto 5.x reads an object's whole body for every range GET (s3/responses.py, _handle_range_header), which for a
1 GB object would make moto the bottleneck; the moto launched here keeps each stored version's bytes in memory
once, so a range GET costs moto a slice, as it costs S3.

usage: bench/ranged/ranged_bench.py --bootstrap artifacts/function/bootstrap --file data/movies-1gb.csv
         [--rate 40] [--connections 1,2,4,8] [--part-bytes 8388608] [--budget 900]
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

MOTO_LAUNCHER = r"""
import sys
import moto.s3.models as models
from moto.server import main

plain = models.FakeKey.value

def cached_value(self):
    cached = getattr(self, "_bench_value", None)
    if cached is None:
        cached = plain.fget(self)
        self._bench_value = cached
    return cached

def set_value(self, new_value):
    self._bench_value = None
    plain.fset(self, new_value)

models.FakeKey.value = property(cached_value, set_value)
sys.argv = ["moto_server"] + sys.argv[1:]
main()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def pump(reader, writer, rate_bytes_per_second):
    """Copies one direction of a connection; with a rate, never faster than it (measured from the first byte)."""
    sent, start = 0, None
    try:
        while True:
            chunk = await reader.read(64 * 1024)
            if not chunk:
                break
            if rate_bytes_per_second:
                start = start or time.monotonic()
                sent += len(chunk)
                ahead = sent / rate_bytes_per_second - (time.monotonic() - start)
                if ahead > 0:
                    await asyncio.sleep(ahead)
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def start_proxy(listen_port, target_port, rate_bytes_per_second):
    """The throttling proxy, on its own thread and event loop: each connection's download is capped, uploads are not."""
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, server_writer, 0), pump(server_reader, client_writer, rate_bytes_per_second))

    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
        ready.set()
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True).start()
    ready.wait(10)


def aws(endpoint, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    done = subprocess.run(["aws", "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json", *args],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"aws {' '.join(args[:2])} failed: {done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def event_json(bucket, key, size, etag, version_id, day):
    obj = {"key": key, "size": size, "eTag": etag.strip('"'), "versionId": version_id}
    record = {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": "ObjectCreated:Put",
              "eventTime": f"2026-01-{day:02d}T10:00:00.000Z", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": bucket}, "object": obj}}
    return json.dumps({"Records": [record]})


def invoke(bootstrap, endpoint, event, env, timeout):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(event)
    time_file = f.name + ".time"
    full_env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                    AWS_REGION="us-east-1", LOG_LEVEL="INFO", **env)
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", time_file, bootstrap, "invoke", "--event", f.name],
                          env=full_env, capture_output=True, text=True, timeout=timeout)
    wall = time.monotonic() - started
    os.unlink(f.name)
    user, system, peak_kib = open(time_file).read().strip().splitlines()[-1].split()
    os.unlink(time_file)
    if done.returncode != 0:
        raise RuntimeError(f"bootstrap invoke exited {done.returncode}: {done.stderr[-2000:]}")
    record = json.loads(done.stdout)["records"][0]
    log = next((json.loads(l) for l in done.stderr.splitlines() if '"outcome"' in l), {})
    return {"wall": wall, "cpu": float(user) + float(system), "peak_mib": int(peak_kib) / 1024,
            "outcome": record["outcome"], "rows": record.get("rows"), "read_ms": log.get("validationMs"), "copy_ms": log.get("copyMs")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--rate", type=float, default=40.0, help="MB/s (10^6 bytes) per connection")
    parser.add_argument("--connections", default="1,2,4,8")
    parser.add_argument("--part-bytes", type=int, default=8 * 1024 * 1024)
    parser.add_argument("--budget", type=float, default=900, help="seconds; the bench stops itself after this")
    args = parser.parse_args()
    deadline = time.monotonic() + args.budget
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("bench budget exceeded"))
    signal.alarm(int(args.budget))

    size = os.path.getsize(args.file)
    moto_port, proxy_port = free_port(), free_port()
    moto = subprocess.Popen([sys.executable, "-c", MOTO_LAUNCHER, "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        direct = f"http://127.0.0.1:{moto_port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", moto_port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        start_proxy(proxy_port, moto_port, args.rate * 1_000_000)
        bucket, key = "bench-lake", "landing/movies.csv"
        aws(direct, "s3api", "create-bucket", "--bucket", bucket)
        aws(direct, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled")
        put = aws(direct, "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", args.file, "--content-type", "text/csv")
        print(f"file {args.file}: {size:,} bytes; proxy caps each connection at {args.rate:g} MB/s; part {args.part_bytes} bytes", flush=True)

        runs = [("single GET", {"RANGED_READ_THRESHOLD_BYTES": str(size + 1)})]
        runs += [(f"ranged x{n}", {"RANGED_READ_CONCURRENCY": n, "RANGED_READ_PART_BYTES": str(args.part_bytes)})
                 for n in args.connections.split(",")]
        print(f"{'read':<12} {'wall s':>7} {'read+validate s':>16} {'copy s':>7} {'CPU s':>6} {'peak RSS MiB':>13}  outcome", flush=True)
        results = {}
        for day, (name, env) in enumerate(runs, start=1):  # a fresh destination date each run: every run reads and copies
            left = deadline - time.monotonic()
            event = event_json(bucket, key, size, put["ETag"], put["VersionId"], day)
            r = invoke(args.bootstrap, f"http://127.0.0.1:{proxy_port}", event, env, timeout=max(left, 1))
            results[name] = r
            print(f"{name:<12} {r['wall']:7.1f} {r['read_ms'] / 1000:16.1f} {r['copy_ms'] / 1000:7.1f} {r['cpu']:6.1f} "
                  f"{r['peak_mib']:13.1f}  {r['outcome']} ({r['rows']} rows)", flush=True)
        if "ranged x1" in results and "ranged x4" in results:
            one, four = results["ranged x1"], results["ranged x4"]
            print(f"x4 against x1: wall {one['wall'] / four['wall']:.2f}x faster, read+validate {one['read_ms'] / four['read_ms']:.2f}x faster")
    finally:
        moto.terminate()
        moto.wait(10)


if __name__ == "__main__":
    main()
