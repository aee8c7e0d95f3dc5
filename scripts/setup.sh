#!/usr/bin/env bash
# Installs every Debian package scorebench needs. Idempotent: when all
# packages are present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev
  libtorch-dev
  libsqlite3-dev sqlite3  # the results store (scorebench record, history) and its tests
  python3-torch  # verification/adapters/torch_distributions.py (verify --external)
  gnuplot-nox
  valgrind  # callgrind instruction counts (reports/instruction_gate.sh)
  chromium  # headless browser check of the HTML report (CTest label browser)
  libxml2-utils  # xmllint: JUnit files checked against reports/tests/junit.xsd
  clang-14 libfuzzer-14-dev  # the fuzz targets (fuzz/run.sh, preset fuzz)
  g++-aarch64-linux-gnu  # the estimators compiled for aarch64 (CTest estimators_build_for_aarch64)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
