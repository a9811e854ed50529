#!/usr/bin/env bash
# GetImport through the gateway vs. the same nginx stand-in called directly,
# in one run. Usage: bench/run.sh [load tool flags, e.g. --duration=10s]
# With UPLOAD_MIB=N: instead, one N MiB CSV uploaded with StartImport through
# the gateway vs. the same multipart POST sent straight to the stand-in, and
# the gateway's peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
[ -x "$build/bench/hubspot-gateway-load" ] || scripts/build.sh
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=${STANDIN_PORT:-18089}
token="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
sed -e "s|@DIR@|$work|g" -e "s|@PORT@|$port|g" -e "s|@TOKEN@|$token|g" \
  bench/nginx.conf.in > "$work/nginx.conf"
# In daemon mode nginx returns once it listens.
nginx -c "$work/nginx.conf" -p "$work" -g "user $(id -un);"

cat > "$work/gateway.json" <<JSON
{"listenAddress": "127.0.0.1:0",
 "allowPlaintext": true, "access": {"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"], "anonymousMaxConcurrentCalls": 10000, "anonymousMaxConcurrentUploads": 1000},
 "hubspot": {"baseUrl": "http://127.0.0.1:$port", "maxConnections": 64,
             "rateLimit": {"requestsPerInterval": 0},
             "credentials": {"privateAppToken": {"env": "HUBSPOT_ACCESS_TOKEN"}}},
 "upload": {"spoolDirectory": "$work"}}
JSON
export HUBSPOT_ACCESS_TOKEN=$token
exec 4< <(exec "$build/hubspot-imports-gateway" --config="$work/gateway.json" 2>&1)
gateway_pid=$!
pids+=($gateway_pid)
address=
while read -r -u 4 line; do
  case $line in *'"msg":"serving"'*)
    address=$(sed -E 's/.*"address":"([^"]+)".*/\1/' <<<"$line"); break ;;
  esac
done
[ -n "$address" ] || { echo "gateway did not start"; exit 1; }
cat <&4 > ${GATEWAY_LOG:-/dev/null} &

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ -n "${UPLOAD_MIB:-}" ]; then
  { echo "email,firstname"
    yes "someone@example.com,Someone" | head -c $((UPLOAD_MIB * 1024 * 1024 - 16)) || true; } > "$work/bench.csv"
  echo "# gateway peak RSS before: $(grep VmHWM /proc/$gateway_pid/status | awk '{print $2, $3}')"
  "$build/bench/hubspot-gateway-load" --gateway="$address" \
    --upload_file="$work/bench.csv" --upload_url="http://127.0.0.1:$port/crm/v3/imports" "$@"
  echo "# gateway peak RSS after:  $(grep VmHWM /proc/$gateway_pid/status | awk '{print $2, $3}')"
  exit 0
fi
"$build/bench/hubspot-gateway-load" --gateway="$address" \
  --direct_url="http://127.0.0.1:$port/crm/v3/imports/103" "$@"
