#!/usr/bin/env bash
# Builds the chaos soak (tests/soak/) with the gateway and the emulator, and
# runs it: scripts/soak.sh [duration] [more chaos_soak flags]
#   scripts/soak.sh                 # 2 minutes, as CI's ctest soak.chaos
#   scripts/soak.sh 30m --seed=7    # the long mode
# BUILD_DIR as for scripts/build.sh (default build); the summary is also
# written to $BUILD_DIR/soak-report.json and both servers' output to
# $BUILD_DIR/soak-logs/. Exit 0: every check passed; 1: one failed; 2: the
# soak could not start. Needs the build dependencies (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
duration=${1:-2m}
[ $# -gt 0 ] && shift
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target chaos_soak hubspot-imports-gateway hubspot-emulator
exec "$build/tests/chaos_soak" --duration="$duration" \
  --report_json="$build/soak-report.json" --log_dir="$build/soak-logs" "$@"
