#!/usr/bin/env bash
# Side-by-side `bootstrap validate` of two builds on one file (issue #12): runs them interleaved (A, B, A, B, ...) so
# both see the same load, and reports per build the best and median wall clock, CPU time (user+sys, both threads)
# and peak RSS, then B's CPU time as a fraction of A's. On a shared machine trust the CPU columns, not the wall ones.
#
#   bench/compare-validate.sh OLD_BOOTSTRAP NEW_BOOTSTRAP data/movies-200MB.csv [RUNS=5]
#
# A build of another commit: git worktree add /tmp/old <commit> && (cd /tmp/old && make publish).
set -euo pipefail
a="$1"; b="$2"; file="$3"; runs="${4:-5}"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null # warm the page cache
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $file ($bytes bytes); $runs runs each"
declare -A wall cpu rss
for ((i = 0; i <= runs; i++)); do
    for which in A B; do
        bin=$a; [[ $which == B ]] && bin=$b
        out=$( { /usr/bin/time -f '%e %U %S %M' "$bin" validate "$file" > /dev/null; } 2>&1 | tail -1 )
        read -r e u s m <<< "$out"
        ((i == 0)) && continue # warm-up
        wall[$which]+="$e "; cpu[$which]+="$(echo "$u + $s" | bc) "; rss[$which]+="$m "
    done
done
stat_line() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { printf "%s %s", v[1], v[int((NR + 1) / 2)] }'; }
echo "| build | wall s best / median | GB/s (best wall) | CPU s best / median | CPU s per GB (best) | peak RSS MiB (max) |"
echo "|---|---:|---:|---:|---:|---:|"
for which in A B; do
    bin=$a; [[ $which == B ]] && bin=$b
    read -r wb wm <<< "$(echo "${wall[$which]}" | stat_line)"
    read -r cb cm <<< "$(echo "${cpu[$which]}" | stat_line)"
    peak=$(echo "${rss[$which]}" | tr ' ' '\n' | sort -n | tail -1)
    echo "| $which: $bin | $wb / $wm | $(echo "scale=3; $bytes / $wb / 1000000000" | bc) | $cb / $cm | $(echo "scale=3; $cb * 1000000000 / $bytes" | bc) | $(echo "scale=1; $peak / 1024" | bc) |"
done
