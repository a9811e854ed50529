#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs the gateway on
# 127.0.0.1:50051 (HUBSPOT_GATEWAY_LISTEN_ADDRESS to change it).
#
# With HubSpot credentials in the environment (HUBSPOT_ACCESS_TOKEN, or
# HUBSPOT_PRIVATE_APP_LEGACY_KEY, or HUBSPOT_CLIENT_ID + HUBSPOT_CLIENT_SECRET
# + HUBSPOT_REFRESH_TOKEN) or a config file in GATEWAY_CONFIG, it talks to
# HubSpot. Without, it starts the bundled local HubSpot stand-in and points
# the gateway at it. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh --log-level=WARNING
gateway=${BUILD_DIR:-build}/hubspot-imports-gateway

config=${GATEWAY_CONFIG:-}
if [ -z "$config" ] && [ -z "${HUBSPOT_ACCESS_TOKEN:-}${HUBSPOT_PRIVATE_APP_LEGACY_KEY:-}${HUBSPOT_CLIENT_ID:-}" ]; then
  port=${STANDIN_PORT:-8089}
  token="local-standin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  echo "No HubSpot credentials given: using the bundled local HubSpot stand-in"
  echo "on http://127.0.0.1:$port (tests/fake_hubspot). Nothing reaches HubSpot."
  FAKE_HUBSPOT_ACCESS_TOKEN=$token /usr/bin/python3 tests/fake_hubspot/fake_hubspot.py --port "$port" >/dev/null &
  standin=$!
  trap 'kill $standin 2>/dev/null || true' EXIT
  export HUBSPOT_BASE_URL=http://127.0.0.1:$port HUBSPOT_ACCESS_TOKEN=$token
fi
exec_args=()
[ -n "$config" ] && exec_args+=(--config="$config")
"$gateway" "${exec_args[@]}"
