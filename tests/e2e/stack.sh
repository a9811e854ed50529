# Sourced by the e2e client tests: starts the emulator and a gateway in front
# of it, sets $address (the gateway's host:port) and cleans up on exit.
# Needs $emulator and $gateway (binaries).
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

# Local and plaintext, callers without identity allowed everything.
echo '{"listenAddress": "127.0.0.1:0", "allowPlaintext": true, "access": {"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"]}}' > "$work/gateway.json"
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

# expect_lines OUTPUT WANT...: each WANT appears in OUTPUT.
expect_lines() {
  local out=$1 failures=0
  shift
  for want in "$@"; do
    grep -qF -- "$want" <<<"$out" || { echo "FAIL: expected '$want'"; failures=$((failures + 1)); }
  done
  return "$failures"
}
# What a client must print for the sample import.
sample_expectations=("started import" " is DONE" "TOTAL_ROWS=12" "CREATED_OBJECTS=9"
                     "error line 6 INVALID_EMAIL" "error line 11 COULD_NOT_PARSE_DATE")
