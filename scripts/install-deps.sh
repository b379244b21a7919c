#!/usr/bin/env bash
# Installs every build and test dependency of MultiVerse from Debian packages (idempotent).
set -euo pipefail

PACKAGES=(
  antlr4 libantlr4-runtime-dev uuid-dev llvm-16-dev llvm-16-tools libzstd-dev
  libtbb-dev libgc-dev libgtest-dev libedit-dev libcli11-dev libfmt-dev
  nlohmann-json3-dev ninja-build cmake g++ pkg-config python3 tmux dpkg-dev file
  pybind11-dev python3-dev python3-numpy python3-pytest
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
