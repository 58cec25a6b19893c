#!/usr/bin/env bash
# The Debian packages that `make publish ARCH=arm64` and the arm64 tests need (docs/deploy.md, "arm64 (Graviton)"):
#   build: clang and lld (cross-link with --target=aarch64-linux-gnu), llvm (llvm-objcopy strips the binary),
#          the arm64 C runtime and libgcc of Debian's cross toolchain (crt*.o, libc, libgcc).
#   tests: qemu-user-static runs the arm64 binary on this x64 host; libssl3:arm64 (Debian multiarch) is the
#          libcrypto the binary loads for SHA-256 and request signing.
#
#   scripts/install-arm64-toolchain.sh           installs what is missing (apt-get update + install; as root)
#   scripts/install-arm64-toolchain.sh --check   installs nothing: exits 1 with one line naming the missing build packages
#
# Quick when everything is there: dpkg is asked first, apt-get runs only for missing packages.
set -euo pipefail

# The cross libgcc comes in the host gcc's major version (Debian 12: gcc 12).
gcc_major=$(gcc -dumpversion 2>/dev/null | cut -d. -f1)
build_packages=(clang lld llvm libc6-dev-arm64-cross "libgcc-${gcc_major:-12}-dev-arm64-cross")
test_packages=(qemu-user-static libssl3:arm64)

missing() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || echo "$package"
    done
}

if [[ "${1:-}" == "--check" ]]; then
    mapfile -t absent < <(missing "${build_packages[@]}")
    if ((${#absent[@]})); then
        echo "arm64 cross toolchain missing: apt-get install ${absent[*]} (or run scripts/install-arm64-toolchain.sh)" >&2
        exit 1
    fi
    exit 0
fi

mapfile -t absent < <(missing "${build_packages[@]}" "${test_packages[@]}")
if ((${#absent[@]} == 0)); then
    echo "arm64 toolchain: all installed"
    exit 0
fi
echo "arm64 toolchain: installing ${absent[*]}"
# libssl3:arm64 is a Debian multiarch package: apt must know the arm64 architecture before it can list it.
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${absent[@]}" >/dev/null
echo "arm64 toolchain: installed"
