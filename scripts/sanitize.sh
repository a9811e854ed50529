#!/usr/bin/env bash
# Builds the gateway, the emulator and every C++ test with a sanitizer and runs
# them through ctest; any sanitizer report, in a test or in a process a test
# started (the gateway, the emulator, the CLI), fails the run.
#
#   scripts/sanitize.sh asan   # AddressSanitizer + LeakSanitizer + UBSan
#   scripts/sanitize.sh tsan   # ThreadSanitizer
#
# Build tree: build-asan/ or build-tsan/ ($BUILD_DIR overrides). For tsan,
# Abseil and gRPC built with -fsanitize=thread from Debian's own source
# packages are cached in <build>/_deps/; a rerun reuses them and only rebuilds
# what changed. JOBS (default 2) sets the build's parallelism.
# Everything is compiled with -O1 -g1 (see "opt" below).
# Extra arguments go to ctest (e.g. -R integration.oauth).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

kind=${1:-}
case "$kind" in
  asan) sanitize=address,undefined ;;
  tsan) sanitize=thread ;;
  *) echo "usage: $0 asan|tsan [ctest arguments]" >&2; exit 2 ;;
esac
shift
build=${BUILD_DIR:-build-$kind}
case "$build" in /*) ;; *) build=$root/$build ;; esac
jobs=${JOBS:-2}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# Not run under sanitizers: they test no C++ of ours, or test it through
# something else's build. stubs/proto: generated code and buf lint/breaking;
# e2e: the Python, Go and Node client stubs and buf curl (the gateway paths
# they call are covered by the integration tests); k8s: manifests; docker:
# builds and runs its own, unsanitized, image; fuzz: builds its own clang
# tree with ASan and UBSan (fuzz/run.sh); soak: a load test whose time-outs
# and memory figures the sanitizers would distort (scripts/soak.sh runs it;
# BUILD_DIR=build-asan scripts/soak.sh runs it sanitized by hand).
exclude='^(e2e|stubs|proto|k8s|docker|fuzz|soak)\.'

# -O1 -g1 for the sanitized tree and, for tsan, the instrumented Abseil and
# gRPC, in place of RelWithDebInfo's -O2 -g: it roughly halves every build
# here (same files, 2 cores: ASan + UBSan -52%, TSan -35%, gRPC -49%). The
# sanitizers check the same things at -O1 (their documentation recommends -O1
# or more), and -g1 keeps what their reports show: functions, inlined frames,
# files and lines (ASan names stack variables from its own metadata, not from
# DWARF). What -g1 drops is local variables for a debugger; NDEBUG stays as in
# a normal build.
opt="-O1 -g1"

scripts/install-deps.sh

# --- tsan: Abseil and gRPC built with -fsanitize=thread -------------------------
# TSan can only order what it sees. Debian's libabsl and libgrpc are not
# instrumented: absl::Mutex (which the gateway, its tests and gRPC all lock
# with) looks like no lock at all, and gRPC hands calls between its threads
# through its own atomics, so every callback looks unordered. Both are rebuilt
# from Debian's source packages of the installed versions (same patches, same
# options, same SONAMEs) with -fsanitize=thread into <build>/_deps/tsan/lib,
# and every binary of the tree loads them from there in place of Debian's
# (RUNPATH; checked below). We compile against the same headers (Debian's for
# gRPC, Abseil's from its source package, installed with it) and link against
# Debian's gRPC; only the libraries loaded at run time differ. Takes about 6
# minutes on 2 cores (Abseil under 1, gRPC 5), once: a stamp per library
# (version and flags) keeps it.
cmake_args=()
if [ "$kind" = tsan ]; then
  deps=$build/_deps
  prefix=$deps/tsan
  cflags="$opt -fsanitize=thread"
  mkdir -p "$deps"

  # Source entries for the Debian archive the machine already uses, and what
  # gRPC's configure step looks for.
  need_src=0
  for p in abseil grpc; do
    apt-cache showsrc "$p" 2>/dev/null | grep -q '^Version:' || need_src=1
  done
  if [ "$need_src" -eq 1 ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
        $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    else
      grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
        $SUDO tee /etc/apt/sources.list.d/debian-src.list >/dev/null
    fi
    $SUDO apt-get update -qq
  fi
  dpkg-query -W -f='${Status}' libprotoc-dev 2>/dev/null | grep -q "install ok installed" ||
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libprotoc-dev >/dev/null

  # fetch <source package> <version>: unpacks Debian's source in $deps/<package>-src.
  fetch() {
    rm -rf "$deps/$1-src" "$deps/download"
    mkdir -p "$deps/download"
    (cd "$deps/download" &&
       apt-get source -qq "$1=$2" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    mv "$deps"/download/"$1"-[0-9]*/ "$deps/$1-src"
    rm -rf "$deps/download"
  }
  # quiet <log> <command...>: runs it with its output in <log>, shown on failure.
  quiet() {
    local log=$1
    shift
    if ! "$@" >>"$log" 2>&1; then
      tail -50 "$log" >&2
      exit 1
    fi
  }

  absl_version=$(dpkg-query -W -f='${source:Version}' libabsl20220623)
  stamp="abseil $absl_version; $cflags"
  if [ "$(cat "$prefix/.abseil" 2>/dev/null)" != "$stamp" ]; then
    echo "== building Abseil $absl_version with -fsanitize=thread"
    rm -rf "$prefix" "$deps/abseil-build" "$deps/abseil-build.log"
    fetch abseil "$absl_version"
    # debian/rules' configuration, plus the sanitizer.
    quiet "$deps/abseil-build.log" cmake -S "$deps/abseil-src" -B "$deps/abseil-build" \
      -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="$cflags" \
      -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread \
      -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON \
      -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib
    quiet "$deps/abseil-build.log" cmake --build "$deps/abseil-build" -j"$jobs"
    quiet "$deps/abseil-build.log" cmake --install "$deps/abseil-build"
    echo "$stamp" > "$prefix/.abseil"
  fi

  grpc_version=$(dpkg-query -W -f='${source:Version}' libgrpc29)
  stamp="grpc $grpc_version; $cflags; $(cat "$prefix/.abseil")"
  if [ "$(cat "$prefix/.grpc" 2>/dev/null)" != "$stamp" ]; then
    echo "== building gRPC $grpc_version with -fsanitize=thread"
    rm -rf "$deps/grpc-build" "$deps/grpc-build.log"
    fetch grpc "$grpc_version"
    # debian/rules' configuration (libraries only), plus the sanitizer.
    quiet "$deps/grpc-build.log" cmake -S "$deps/grpc-src" -B "$deps/grpc-build" \
      -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cflags" \
      -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread -DCMAKE_PREFIX_PATH="$prefix" \
      -DBUILD_SHARED_LIBS=ON -DgRPC_BUILD_TESTS=OFF -DgRPC_BUILD_CODEGEN=OFF \
      -DgRPC_ABSL_PROVIDER=package -DgRPC_CARES_PROVIDER=package \
      -DgRPC_PROTOBUF_PROVIDER=package -DgRPC_RE2_PROVIDER=package \
      -DgRPC_SSL_PROVIDER=package -DgRPC_ZLIB_PROVIDER=package \
      -DgRPC_BACKWARDS_COMPATIBILITY_MODE=OFF
    quiet "$deps/grpc-build.log" cmake --build "$deps/grpc-build" -j"$jobs" --target grpc++
    for lib in gpr grpc grpc++ upb address_sorting; do
      cp -a "$deps/grpc-build/lib$lib.so".* "$prefix/lib/"
    done
    echo "$stamp" > "$prefix/.grpc"
  fi
  cmake_args=(-DCMAKE_PREFIX_PATH="$prefix" -Dabsl_DIR="$prefix/lib/cmake/absl")
fi

# --- build ---------------------------------------------------------------------
echo "== building $build (-fsanitize=$sanitize, $opt)"
# scripts/build.sh's configuration, with JOBS honoured and the configure
# output kept in a log: for tsan, CMake warns for every target that the
# instrumented libraries "may hide" Debian's in the RUNPATH, which is the
# point (and is checked below).
mkdir -p "$build"
if ! cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
       -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt -DNDEBUG" \
       -DSANITIZE="$sanitize" -DBUILD_BENCH=OFF "${cmake_args[@]}" >"$build/configure.log" 2>&1; then
  grep -v -e '^$' "$build/configure.log" | tail -40 >&2
  exit 1
fi
cmake --build "$build" -j"$jobs"

if [ "$kind" = tsan ]; then
  # Every binary must load the instrumented Abseil and gRPC, directly and
  # through each other. (Debian's libgrpc++_reflection stays: it only serves
  # the reflection service, and it loads the instrumented gRPC too.)
  bad=0
  while IFS= read -r exe; do
    wrong=$(ldd "$exe" | grep -E 'lib(absl_|grpc|gpr|upb|address_sorting)' |
              grep -v 'libgrpc++_reflection' | grep -v "=> $prefix/lib/" || true)
    if [ -n "$wrong" ]; then
      echo "$exe loads uninstrumented libraries:" >&2
      echo "$wrong" >&2
      bad=1
    fi
  done < <(find "$build" -path "$build/_deps" -prune -o -type f -perm -u+x \
             \( -name '*_test' -o -name 'hubspot-*' \) -print)
  [ "$bad" -eq 0 ] || exit 1
fi

# --- test ----------------------------------------------------------------------
# Reports go to files as well as failing the process: a gateway a test kills
# with SIGKILL, or one whose failure a test expects, could otherwise hide one.
logs=$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
supp=$root/scripts/sanitizers
case "$kind" in
  asan)
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:log_path=$logs/asan"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
    export LSAN_OPTIONS="log_path=$logs/lsan"
    ;;
  tsan)
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$supp/tsan.supp:log_path=$logs/tsan"
    ;;
esac

echo "== ctest in $build"
status=0
# (BUILD_DIR is ours, not the tests': fuzz/run.sh, for one, reads it.)
(cd "$build" && env -u BUILD_DIR ctest --output-on-failure -j"$jobs" --timeout 600 \
   -E "$exclude" "$@") || status=$?

# A process whose only output is TSan's count of suppressed reports
# ("ThreadSanitizer: Matched N suppressions" and one line per suppression) had
# nothing else to say; anything else in a log is a report.
reports=()
suppressed=()
while IFS= read -r f; do
  if grep -qvE '^(ThreadSanitizer: Matched [0-9]+ suppressions \(pid=[0-9]+\):|[0-9]+ [a-z_]+:.*)$' "$f"; then
    reports+=("$f")
  else
    suppressed+=("$f")
  fi
done < <(find "$logs" -type f | sort)
if [ ${#suppressed[@]} -gt 0 ]; then
  echo "== suppressed reports (scripts/sanitizers/tsan.supp), by suppression:"
  cat "${suppressed[@]}" | grep -vE '^ThreadSanitizer: Matched' |
    awk '{n[$2] += $1} END {for (s in n) print "  " n[s] "  " s}' | sort -k2
fi
if [ ${#reports[@]} -gt 0 ]; then
  echo "== sanitizer reports (${#reports[@]} processes)" >&2
  for f in "${reports[@]}"; do echo "--- $f" >&2; cat "$f" >&2; done
  status=1
fi
exit "$status"
