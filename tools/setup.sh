#!/usr/bin/env bash
# Prepares a Debian 12 machine for credo and builds it (Release, Ninja, in build/). clang-19 and
# libclang-rt-19-dev are for the fuzz build (libFuzzer, see docs/fuzzing.md), which tools/test.sh
# configures in build-fuzz/.
#
# Installs whichever of the packages below are missing (apt-get, as root or through sudo); when
# all are installed already it does not touch apt at all, so repeated runs are fast and work
# offline. Then configures and builds. Safe to run again at any time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev uuid-dev
  llvm-19-dev libzstd-dev zlib1g-dev
  catch2 libfmt-dev nlohmann-json3-dev
  ccache python3
  clang-19 libclang-rt-19-dev
  libcpp-httplib-dev libsimdjson-dev                   # credo serve, credo replay
  python3-dev pybind11-dev python3-pybind11            # the Python module
  python3-numpy python3-pandas python3-dask python3-distributed
  wrk                                                  # the serve load test (bench/)
)
# For the browser tests of `credo doc` (headless Chromium); those tests skip, saying why, where
# it could not be installed.
optional_packages=(chromium)

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
      missing+=("$package")
    fi
  done

  if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then
      as_root=()
    elif command -v sudo >/dev/null 2>&1; then
      as_root=(sudo)
    else
      echo "setup: these packages are missing and this is not root (and there is no sudo):" >&2
      echo "  ${missing[*]}" >&2
      exit 1
    fi
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}"
  fi

  for package in "${optional_packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
      echo "setup: installing optional $package"
      if [[ $(id -u) -eq 0 ]]; then as_root=(); else as_root=(sudo); fi
      if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
          apt-get install -y --no-install-recommends "$package"; then
        ("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
          "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "$package") ||
          echo "setup: could not install $package; the tests that need it will skip" >&2
      fi
    fi
  done
else
  echo "setup: no dpkg-query (not Debian?): skipping packages; needs the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
