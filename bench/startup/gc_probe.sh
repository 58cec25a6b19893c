#!/usr/bin/env bash
# Shows which GC settings a Native AOT executable honours (issue #4, "Memory" in docs/benchmarks.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../artifacts/bench/gcprobe"
dotnet publish "$here/GcProbe/GcProbe.csproj" -c Release -r linux-x64 -o "$out" >/dev/null
probe="$out/GcProbe"
echo "1. defaults (baked: workstation, non-concurrent):";             "$probe"
echo "2. DOTNET_GCHeapHardLimit=0x6000000 (hex with 0x, 96 MB):";     DOTNET_GCHeapHardLimit=0x6000000 "$probe"
echo "3. DOTNET_GCHeapHardLimit=6000000 (hex without 0x, 96 MB):";    DOTNET_GCHeapHardLimit=6000000 "$probe"
echo "4. GCHeapHardLimit=96 MB set at run time + GC.RefreshMemoryLimit():"; "$probe" 96
echo "5. DOTNET_gcConcurrent=1 (env override of the baked setting):"; DOTNET_gcConcurrent=1 "$probe" 96
