#!/usr/bin/env bash
# `make fuzz`: coverage-guided fuzzing of the validator (plain and gzip) with afl++ through SharpFuzz, for
# FUZZ_SECONDS (default 600), then a summary of what it found. Not part of CI. docs/reliability.md, "Fuzzing".
# Needs: afl-fuzz (Debian package afl++, installed here when missing and run as root), the sharpfuzz .NET tool
# (restored from .config/dotnet-tools.json). Findings stay in artifacts/fuzz/findings; a new run starts afresh
# unless FUZZ_RESUME=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
OUT=artifacts/fuzz
BIN="$OUT/bin"

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "fuzz: installing afl++ (Debian package)"
    apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
  else
    echo "fuzz: afl-fuzz is missing: install Debian's afl++ (sudo apt-get install afl++)" >&2
    exit 2
  fi
fi
dotnet tool restore >/dev/null

echo "fuzz: building and instrumenting IngestLambda.Core"
rm -rf "$BIN"
dotnet publish bench/IngestLambda.Fuzz -c Release -o "$BIN" --nologo -v quiet
dotnet tool run sharpfuzz "$BIN/IngestLambda.Core.dll"

if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$OUT/findings/default" ]; then
  INPUT=-   # afl++: resume the previous run's queue
else
  rm -rf "$OUT/findings" "$OUT/seeds"
  dotnet "$BIN/IngestLambda.Fuzz.dll" seeds "$OUT/seeds"
  INPUT="$OUT/seeds"
fi

echo "fuzz: afl-fuzz for ${FUZZ_SECONDS}s"
# No UI (logs stay readable), no CPU binding or core-pattern demands (a shared 2-core machine), timeout 10 s per input.
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 \
  afl-fuzz -V "$FUZZ_SECONDS" -i "$INPUT" -o "$OUT/findings" -t 10000 -m none -- dotnet "$BIN/IngestLambda.Fuzz.dll" \
  > "$OUT/afl.log" 2>&1 || { tail -30 "$OUT/afl.log" >&2; exit 1; }

STATS="$OUT/findings/default/fuzzer_stats"
echo "fuzz: summary ($STATS)"
grep -E '^(start_time|last_update|run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs|stability) ' "$STATS"
shopt -s nullglob
crashes=("$OUT"/findings/default/crashes/id:*)
hangs=("$OUT"/findings/default/hangs/id:*)
echo "fuzz: ${#crashes[@]} crash(es), ${#hangs[@]} hang(s)"
if [ ${#crashes[@]} -gt 0 ]; then
  dotnet "$BIN/IngestLambda.Fuzz.dll" replay "${crashes[@]}" || true
  exit 1
fi
