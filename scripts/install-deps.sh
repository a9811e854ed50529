#!/usr/bin/env bash
# Installs what building, running and testing the gateway needs on Debian 12
# (root, or sudo). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

packages=(
  build-essential cmake pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libhiredis-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-grpcio python3-protobuf openssl ca-certificates nginx-light tinyproxy redis-server
  golang-go golang-google-grpc-dev golang-google-protobuf-dev
  golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc
  podman runc catatonit debootstrap
  clang-14 libclang-rt-14-dev llvm-14
  prometheus python3-yaml
)
# Node.js may come from elsewhere than Debian; Debian's npm would conflict.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# buf (lint, breaking, curl), the Node stubs' tools and the k8s validator
# from npm, pinned in package.json.
if [ ! -x node_modules/.bin/buf ] || [ ! -x node_modules/.bin/proto-loader-gen-types ] ||
   [ ! -d node_modules/kubernetes-models ] || [ ! -x node_modules/.bin/tsc ]; then
  npm install --no-package-lock --no-audit --no-fund --silent >/dev/null
fi
