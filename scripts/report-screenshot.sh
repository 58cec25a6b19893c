#!/usr/bin/env bash
# docs/report.png: the `answers --report` page of a lake folder holding samples/ on two days, photographed by headless
# Chromium at 1280 px (docs/analytics.md "The report"). The manifests' profiles are computed here from the samples,
# the way docs/contracts.md "Report" defines them; the newest Movies day carries a seeded drift (half the ratings
# `\N`, a fifth of the rows gone) so the drift table has something to show. Needs chromium and a built answers.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSWERS_DLL=src/IngestLambda.Analytics/bin/${CONFIGURATION:-Release}/net10.0/answers.dll
LAKE=$(mktemp -d)
trap 'rm -rf "$LAKE"' EXIT

for day in 2026/12/06 2026/12/07; do
  mkdir -p "$LAKE/Raw/Local/CSV/Movies/$day" "$LAKE/Raw/Local/CSV/Series/$day"
  cp samples/movies.csv "$LAKE/Raw/Local/CSV/Movies/$day/"
  cp samples/series.csv "$LAKE/Raw/Local/CSV/Series/$day/"
done

python3 - "$LAKE" <<'PY'
import json, os, random, sys
root = sys.argv[1]
NUMERIC = {"anoLancamento", "anoTermino", "tempoMinutos", "notaMedia", "numeroVotos", "anoNascimento", "anoFalecimento"}
TOP = {"genero", "profissao"}

def profile(lines):
    header, rows = lines[0].split('|'), [line.split('|') for line in lines[1:] if line]
    columns = {}
    for i, name in enumerate(header):
        values = [row[i] for row in rows]
        present = [v for v in values if v not in ('\\N', '')]
        column = {"nulls": values.count('\\N'), "empties": values.count(''), "distinct": len(set(present))}
        if name in NUMERIC and present:
            numbers = [float(v) for v in present]
            column.update(min=min(numbers), max=max(numbers), mean=sum(numbers) / len(numbers))
        elif present:
            sizes = [len(v.encode()) for v in present]
            column.update(minBytes=min(sizes), maxBytes=max(sizes))
        if name in TOP:
            counts = {}
            for item in (i for v in present for i in v.split(',')):
                counts[item] = counts.get(item, 0) + 1
            column["top"] = [{"value": k, "count": n} for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]]
        columns[name] = column
    return {"rows": len(rows), "distinctIds": len({row[0] for row in rows}), "columns": columns}

def manifest(dataset, day, name, lines, version=2):
    path = os.path.join(root, "manifests", dataset, *day.split('/'), name + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    report = {"reportVersion": version, "outcome": "accepted", "dataset": dataset}
    if version == 2:
        report["profile"] = profile(lines)
    with open(path, "w") as f:
        json.dump(report, f)

random.seed(7)
for dataset, name in (("Movies", "movies.csv"), ("Series", "series.csv")):
    lines = open(f"samples/{name}", encoding="utf-8").read().split('\n')
    manifest(dataset, "2026/12/06", name, lines)
    if dataset == "Movies":
        rating = lines[0].split('|').index("notaMedia")
        def drop_rating(line):
            parts = line.split('|')
            return '|'.join(parts[:rating] + ['\\N'] + parts[rating + 1:])
        manifest(dataset, "2026/12/07", name, [lines[0]] + [drop_rating(l) if random.random() < 0.5 else l for l in lines[1:1601] if l])
    else:
        manifest(dataset, "2026/12/07", name, lines)
        manifest(dataset, "2026/12/07", "old-writer.csv", [], version=1)  # written before profiles: a note, not a crash
PY

dotnet "$ANSWERS_DLL" answers --lake "$LAKE" --report "$LAKE/report.html" > /dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,3900 \
  --screenshot="$PWD/docs/report.png" "file://$LAKE/report.html" 2> /dev/null
echo "docs/report.png written"
