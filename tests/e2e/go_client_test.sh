#!/usr/bin/env bash
# The Go stubs for real: client-stubs/go/upload_and_follow, built with
# Debian's Go packages, uploads the sample CSV through the gateway to the
# emulator, follows the import to DONE and lists its errors.
# Usage: go_client_test.sh EMULATOR_BINARY GATEWAY_BINARY REPO_DIR
set -euo pipefail
emulator=$1 gateway=$2 repo=$3
source "$(dirname "$0")/stack.sh"
(cd "$repo" && GOPATH="$repo/client-stubs/go/gen:/usr/share/gocode" GO111MODULE=off \
   GOPROXY=off GOCACHE="$work/gocache" go build -o "$work/upload_and_follow" \
   ./client-stubs/go/upload_and_follow)
out=$("$work/upload_and_follow" -gateway="$address" -poll=0.2s -timeout=60s \
        -request="$repo/emulator/samples/contacts.import.json" \
        "$repo/emulator/samples/contacts.csv" 2>&1) || { echo "FAIL: client exited $?"; echo "$out"; exit 1; }
echo "$out"
expect_lines "$out" "${sample_expectations[@]}"
echo "ok   go client"
