#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
# The chaos soak (label soak) runs as a step of its own: scripts/soak.sh.
ctest --output-on-failure -j2 --timeout 300 -LE soak
