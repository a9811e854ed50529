#!/usr/bin/env bash
# The Node client for real: client-stubs/node/upload_and_follow.js uploads
# the sample CSV through the gateway to the emulator, follows the import to
# DONE and lists its errors.
# Usage: node_client_test.sh EMULATOR_BINARY GATEWAY_BINARY REPO_DIR
set -euo pipefail
emulator=$1 gateway=$2 repo=$3
source "$(dirname "$0")/stack.sh"
out=$(node "$repo/client-stubs/node/upload_and_follow.js" \
        --gateway="$address" --poll=0.2 --timeout=60 \
        --request="$repo/emulator/samples/contacts.import.json" \
        "$repo/emulator/samples/contacts.csv" 2>&1) || { echo "FAIL: client exited $?"; echo "$out"; exit 1; }
echo "$out"
expect_lines "$out" "${sample_expectations[@]}"
echo "ok   node client"
