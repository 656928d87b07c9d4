#!/usr/bin/env bash
# Installs the Debian 12 packages nnapi-convert builds and tests with, only those that are missing.
set -euo pipefail

# clang and libclang-rt-14-dev (libFuzzer) are for scripts/fuzz.sh only; the build itself uses g++.
packages=(cmake g++ make libtorch-dev python3-torch python3-torchvision libcli11-dev nlohmann-json3-dev
          libflatbuffers-dev flatbuffers-compiler catch2 libeigen3-dev libgemmlowp-dev clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages are installed"
  exit 0
fi
echo "install_deps: installing ${missing[*]}"
# As root (a fresh Debian 12 often has no sudo) apt-get runs directly; a normal user's goes through sudo.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null; then
    echo "install_deps: installing packages needs root: run this as root, or install sudo" >&2
    exit 2
  fi
  as_root=(sudo)
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
