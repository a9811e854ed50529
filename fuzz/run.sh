#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/README.md) in their own tree and runs
# each for SECONDS (default 60) on a copy of its seed corpus; fails when any
# fuzzer finds a crash, a leak, a time-out, an out-of-memory, a sanitizer
# report or a broken invariant.
#
#   fuzz/run.sh [SECONDS]
#
# SECONDS=0 builds and runs each fuzzer once over its seed corpus only (the
# committed reproducers as a regression test; a few seconds).
#
# Environment:
#   BUILD_DIR  build tree (default build-fuzz in the repository)
#   FUZZERS    which fuzzers, space separated (default: all three)
#   JOBS       build parallelism (default 2)
#   MAX_LEN    largest input libFuzzer makes, bytes (default 8192)
#
# Each fuzzer's run is in $BUILD_DIR/fuzz-run/<name>/: corpus/ (the seeds
# plus what the run found; the committed fuzz/corpus is never written),
# artifacts/ (crash-*, leak-*, timeout-*, oom-* inputs) and log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: fuzz/run.sh [SECONDS]" >&2; exit 2; }
build=${BUILD_DIR:-build-fuzz}
[[ $build = /* ]] || build=$root/$build
fuzzers=(${FUZZERS:-rest_mapping config_loader import_request})
jobs=${JOBS:-2}
max_len=${MAX_LEN:-8192}

# --- Toolchain: clang 14 and its libFuzzer/sanitizer runtimes (Debian 12) ---
packages=(clang-14 libclang-rt-14-dev llvm-14)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Build -------------------------------------------------------------------
if [ -f "$build/CMakeCache.txt" ] &&
   ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$' "$build/CMakeCache.txt"; then
  echo "fuzz/run.sh: $build was configured with another compiler; remove it or set BUILD_DIR" >&2
  exit 2
fi
start=$(date +%s)
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUILD_FUZZERS=ON \
  -DSANITIZE=fuzzer-no-link,address,undefined \
  -DBUILD_TESTING=OFF -DBUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target fuzzers >"$build/fuzz-build.log" 2>&1 || {
  tail -50 "$build/fuzz-build.log" >&2
  exit 1
}
echo "build: $(( $(date +%s) - start ))s ($build)"

# --- Run ---------------------------------------------------------------------
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer UBSAN_SYMBOLIZER_PATH=$symbolizer
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
summary=()
for name in "${fuzzers[@]}"; do
  bin=$build/fuzz/${name}_fuzzer
  work=$build/fuzz-run/$name
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$root/fuzz/corpus/$name/"* "$work/corpus/"
  cat "$root/fuzz/json.dict" > "$work/dict"
  [ -f "$root/fuzz/$name.dict" ] && cat "$root/fuzz/$name.dict" >> "$work/dict"

  if [ "$seconds" -eq 0 ]; then
    echo "== $name: seed corpus only"
    limit=(-runs=0)
  else
    echo "== $name: ${seconds}s"
    limit=(-max_total_time="$seconds")
  fi
  rc=0
  "$bin" "$work/corpus" \
    -dict="$work/dict" \
    "${limit[@]}" \
    -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" \
    -print_final_stats=1 >"$work/log" 2>&1 || rc=$?

  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[A-Za-z]*' "$work/log" | tail -1 || true)
  seeds=$(ls "$root/fuzz/corpus/$name" | wc -l)
  echo "${done_line:-(no DONE line)}"
  line=$(printf '%-16s %10s execs %7s exec/s  %s  seeds %s  rss %sMb' \
    "$name" "${runs:-?}" "${eps:-?}" "${cov:-?}" "$seeds" "${rss:-?}")

  findings=$(ls "$work/artifacts" 2>/dev/null || true)
  reports=$(grep -cE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|invariant failed|==ERROR: libFuzzer|SUMMARY: libFuzzer' "$work/log" || true)
  if [ "$rc" -ne 0 ] || [ -n "$findings" ] || [ "$reports" -ne 0 ]; then
    failed+=("$name")
    line="$line  FAILED (exit $rc)"
    echo "---- $name: last lines of $work/log" >&2
    grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$work/log" | tail -60 >&2
    for a in $findings; do
      echo "reproduce: $bin $work/artifacts/$a" >&2
    done
  fi
  summary+=("$line")
done

echo
if [ "$seconds" -eq 0 ]; then echo "== fuzz summary (seed corpora only)"; else echo "== fuzz summary (${seconds}s each)"; fi
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "no crash, leak, time-out or sanitizer report"
