#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs the gateway on
# 127.0.0.1:50051 (HUBSPOT_GATEWAY_LISTEN_ADDRESS to change it).
#
# With HubSpot credentials in the environment (HUBSPOT_ACCESS_TOKEN, or
# HUBSPOT_PRIVATE_APP_LEGACY_KEY, or HUBSPOT_CLIENT_ID + HUBSPOT_CLIENT_SECRET
# + HUBSPOT_REFRESH_TOKEN) or a config file in GATEWAY_CONFIG, it talks to
# HubSpot. Without, it starts the project's HubSpot emulator (emulator/) on
# 127.0.0.1:8089 (EMULATOR_PORT to change it) and points the gateway at it.
# Without GATEWAY_CONFIG the gateway serves plaintext on loopback to any
# local caller. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh --log-level=WARNING
build=${BUILD_DIR:-build}
gateway=$build/hubspot-imports-gateway

config=${GATEWAY_CONFIG:-}
if [ -z "$config" ] && [ -z "${HUBSPOT_ACCESS_TOKEN:-}${HUBSPOT_PRIVATE_APP_LEGACY_KEY:-}${HUBSPOT_CLIENT_ID:-}" ]; then
  port=${EMULATOR_PORT:-8089}
  # A fresh token for this run, in a private file: never on a command line.
  secrets=$(mktemp -d)
  chmod 700 "$secrets"
  token="pat-emulator-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '{"privateAppTokens": ["%s"]}\n' "$token" > "$secrets/credentials.json")
  echo "No HubSpot credentials given: starting the HubSpot emulator on"
  echo "http://127.0.0.1:$port ($build/hubspot-emulator). Nothing reaches HubSpot."
  exec 4< <(exec "$build/hubspot-emulator" --http_port="$port" \
                 --credentials_file="$secrets/credentials.json" 2>&1)
  emulator=$!
  trap 'kill $emulator 2>/dev/null || true; rm -rf "$secrets"' EXIT
  started=
  while read -r -u 4 line; do
    echo "$line"
    case $line in
      *'"msg":"HubSpot emulator listening'*) started=1; break ;;
      *'"level":"error"'*) break ;;
    esac
  done
  [ -n "$started" ] || { echo "the emulator did not start (see above; EMULATOR_PORT picks another port)"; exit 1; }
  cat <&4 &
  export HUBSPOT_BASE_URL=http://127.0.0.1:$port HUBSPOT_ACCESS_TOKEN=$token
fi
if [ -z "$config" ]; then
  # The local setup: plaintext on loopback, and any process on this machine
  # may call (the gateway warns about both). A deployment names its callers
  # and serves TLS; see the README's security section.
  local_dir=$(mktemp -d)
  trap 'kill ${emulator:-} 2>/dev/null || true; rm -rf "${secrets:-}" "$local_dir"' EXIT
  config=$local_dir/gateway.json
  cat > "$config" <<'JSON'
{"listenAddress": "127.0.0.1:50051", "allowPlaintext": true,
 "metricsListenAddress": "127.0.0.1:9464",
 "access": {"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"]}}
JSON
fi
"$gateway" --config="$config"
