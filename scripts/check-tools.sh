#!/usr/bin/env bash
# Checks, before anything starts, every tool a make target needs:
#
#   scripts/check-tools.sh unit   the .NET SDK of global.json
#   scripts/check-tools.sh demo   + gcc, Python 3.10+, curl, setsid, gzip, moto_server, the aws CLI, boto3, PyYAML
#   scripts/check-tools.sh test   + cfn-lint
#
# Each missing tool gets one line: its name, what it is for, and the command that installs it (Debian/Ubuntu
# package names). Tools already installed are used as they are. When a Python tool is missing and a package index
# is reachable, the pinned requirements-dev.txt is installed into .venv/ (VENV_DIR), which the Makefile and
# scripts/demo.sh put first on PATH. Exit 0 when everything is there, 2 when something is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case $mode in
  unit | demo | test) ;;
  *) echo "usage: scripts/check-tools.sh unit|demo|test" >&2; exit 2 ;;
esac

venv=${VENV_DIR:-.venv}
venv_install="python3 -m venv $venv && $venv/bin/pip install -r requirements-dev.txt"
export PATH="$(realpath -m "$venv")/bin:$PATH"
sudo=$([[ $(id -u) == 0 ]] || echo "sudo ")
missing=0

report() { # NAME PURPOSE INSTALL-COMMAND
  echo "check-tools: missing $1 ($2); install: $3" >&2
  missing=$((missing + 1))
}
have() { command -v "$1" > /dev/null 2>&1; }

# The SDK global.json asks for: `dotnet --version` fails in this folder when no installed SDK satisfies it.
sdk=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json)
dotnet_install="curl -fsSL https://dot.net/v1/dotnet-install.sh | bash -s -- --jsonfile global.json && export PATH=\"\$HOME/.dotnet:\$PATH\""
if ! have dotnet; then
  report dotnet "the .NET SDK $sdk of global.json" "$dotnet_install"
elif ! dotnet --version > /dev/null 2>&1; then
  installed=$(dotnet --list-sdks 2> /dev/null | awk '{print $1}' | paste -sd, -)
  report "the .NET SDK $sdk (or a later patch)" "global.json; installed: ${installed:-none}" "$dotnet_install"
fi
finish() {
  if ((missing > 0)); then
    echo "check-tools: $missing missing; run the commands above, then run the make target again" >&2
    exit 2
  fi
  echo "check-tools: every tool make $mode needs is installed"
  exit 0
}
[[ $mode == unit ]] && finish

have gcc || have clang || report gcc "Native AOT links the bootstrap executable with it" "${sudo}apt-get install -y gcc"
for tool in curl:curl setsid:util-linux gzip:gzip; do
  have "${tool%%:*}" || report "${tool%%:*}" "used by the demo and the local-chain tests" "${sudo}apt-get install -y ${tool##*:}"
done

python_ok=0
if ! have python3; then
  report python3 "Python 3.10 or newer, for moto_server, the aws CLI and the demo" "${sudo}apt-get install -y python3 python3-venv"
elif ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2> /dev/null; then
  report "Python 3.10 or newer" "python3 is $(python3 -V 2>&1)" "${sudo}apt-get install -y python3 python3-venv (Debian 12, Ubuntu 22.04 or newer)"
else
  python_ok=1
fi

# The Python tools: NAME|PURPOSE|CHECK.
python_tools=(
  "moto_server|the local S3 and SQS the tests and the demo run against|have moto_server"
  "aws|the aws CLI that uploads in the demo and the end-to-end tests|have aws"
  "boto3|Python module: the demo prints the lake with it|python3 -c 'import boto3'"
  "PyYAML|Python module: the demo reads template.yaml with it|python3 -c 'import yaml'"
)
[[ $mode == test ]] && python_tools+=("cfn-lint|lints template.yaml at the end of make test|have cfn-lint")

absent_python_tools() {
  local entry
  for entry in "${python_tools[@]}"; do
    eval "${entry##*|}" > /dev/null 2>&1 || echo "${entry%%|*}"
  done
}

# The index pip would use: PIP_INDEX_URL, pip's own configuration, or PyPI.
package_index() {
  local index=${PIP_INDEX_URL:-}
  [[ -n $index ]] || index=$(python3 -m pip config get global.index-url 2> /dev/null) || true
  echo "${index:-https://pypi.org/simple}"
}

install_into_venv() {
  local index created=0 log
  index=$(package_index)
  if ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1].rstrip("/") + "/pip/", timeout=5)' "$index" > /dev/null 2>&1; then
    echo "check-tools: the package index $index is not reachable, so nothing was installed into $venv" >&2
    return 1
  fi
  echo "check-tools: installing requirements-dev.txt into $venv (from $index)" >&2
  [[ -x $venv/bin/pip ]] || { python3 -m venv "$venv" > /dev/null && created=1; } || {
    echo "check-tools: python3 -m venv failed; install: ${sudo}apt-get install -y python3-venv" >&2
    return 1
  }
  log=$(mktemp)
  if ! "$venv/bin/pip" install --disable-pip-version-check -q -r requirements-dev.txt > "$log" 2>&1; then
    echo "check-tools: pip install -r requirements-dev.txt failed: $(tail -n 1 "$log")" >&2
    # A venv this run created must not stay first on PATH half-filled.
    ((created)) && rm -rf "$venv"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

if ((python_ok)); then
  absent=$(absent_python_tools)
  if [[ -n $absent ]] && install_into_venv; then
    hash -r
    absent=$(absent_python_tools)
  fi
  for name in $absent; do
    for entry in "${python_tools[@]}"; do
      [[ ${entry%%|*} == "$name" ]] || continue
      purpose=${entry#*|}
      report "$name" "${purpose%|*}" "$venv_install"
    done
  done
fi

finish
