#!/usr/bin/env bash
# The Python stubs for real: client-stubs/python/upload_and_follow.py uploads
# the sample CSV through the gateway to the emulator, follows the import to
# DONE and lists its errors.
# Usage: python_client_test.sh EMULATOR_BINARY GATEWAY_BINARY REPO_DIR
set -euo pipefail
emulator=$1 gateway=$2 repo=$3
work=$(mktemp -d)
chmod 700 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

token="pat-e2e-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
(umask 077; printf '{"privateAppTokens": ["%s"]}\n' "$token" > "$work/credentials.json")

# Each server announces its address on its first lines; reading them from a
# pipe waits exactly as long as start-up takes.
exec 3< <(exec "$emulator" --http_port=0 --credentials_file="$work/credentials.json" \
              --started_for=0s --processing_for=1s 2>&1)
pids+=($!)
url=
while read -r -u 3 line; do
  case $line in *'HubSpot emulator listening'*)
    url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' <<<"$line"); break ;;
  esac
done
[ -n "$url" ] || { echo "FAIL: emulator did not start"; exit 1; }
cat <&3 > /dev/null &

echo '{"listenAddress": "127.0.0.1:0"}' > "$work/gateway.json"
exec 4< <(exec env HUBSPOT_BASE_URL="$url" HUBSPOT_ACCESS_TOKEN="$token" \
              "$gateway" --config="$work/gateway.json" 2>&1)
pids+=($!)
address=
while read -r -u 4 line; do
  case $line in *'"msg":"serving"'*)
    address=$(sed -E 's/.*"address":"([^"]+)".*/\1/' <<<"$line"); break ;;
  esac
done
[ -n "$address" ] || { echo "FAIL: gateway did not start"; exit 1; }
cat <&4 > /dev/null &

out=$(/usr/bin/python3 "$repo/client-stubs/python/upload_and_follow.py" \
        --gateway="$address" --poll=0.2 --timeout=60 \
        --request="$repo/emulator/samples/contacts.import.json" \
        "$repo/emulator/samples/contacts.csv" 2>&1) || { echo "FAIL: client exited $?"; echo "$out"; exit 1; }
echo "$out"
failures=0
for want in "started import" " is DONE" "TOTAL_ROWS=12" "CREATED_OBJECTS=9" \
            "error line 6 INVALID_EMAIL" "error line 11 COULD_NOT_PARSE_DATE"; do
  grep -qF -- "$want" <<<"$out" || { echo "FAIL: expected '$want'"; failures=$((failures + 1)); }
done
[ "$failures" -eq 0 ] && echo "ok   python client"
exit "$failures"
