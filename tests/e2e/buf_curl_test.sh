#!/usr/bin/env bash
# grpcurl-style debugging works on the running gateway: `buf curl` finds
# hubspot.crm.imports.v1.ImportService by reflection (no .proto at hand) and
# each unary RPC returns HubSpot's data from the local HubSpot stand-in.
# Usage: buf_curl_test.sh BUF GATEWAY_BINARY FAKE_HUBSPOT_PY
set -euo pipefail
buf=$1 gateway=$2 fake=$3
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

token="pat-e2e-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export FAKE_HUBSPOT_ACCESS_TOKEN=$token HUBSPOT_ACCESS_TOKEN=$token

# Each server announces its address on its first lines; reading them from a
# pipe waits exactly as long as start-up takes.
exec 3< <(exec /usr/bin/python3 "$fake")
pids+=($!)
read -r -u 3 _ fake_port
# Local and plaintext, callers without identity allowed everything.
echo '{"listenAddress": "127.0.0.1:0", "allowPlaintext": true, "access": {"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"]}}' > "$work/gateway.json"
exec 4< <(exec env HUBSPOT_BASE_URL="http://127.0.0.1:$fake_port" "$gateway" --config="$work/gateway.json" 2>&1)
pids+=($!)
address=
while read -r -u 4 line; do
  case $line in *'"msg":"serving"'*)
    address=$(sed -E 's/.*"address":"([^"]+)".*/\1/' <<<"$line"); break ;;
  esac
done
[ -n "$address" ] || { echo "FAIL: gateway did not start"; exit 1; }
cat <&4 > "$work/gateway.log" &

url="http://$address"
failures=0 passes=0
check() {  # check NAME EXPECTED-SUBSTRING COMMAND...
  local name=$1 want=$2; shift 2
  local out
  out=$("$@" 2>&1) || true
  if grep -qF -- "$want" <<<"$out"; then
    echo "ok   $name"; passes=$((passes + 1))
  else
    echo "FAIL $name: expected '$want' in:"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}
svc=hubspot.crm.imports.v1.ImportService
check list-services "$svc" "$buf" curl --protocol grpc --list-services "$url"
check list-methods "$svc/GetImport" "$buf" curl --protocol grpc --list-methods "$url"
check health '"SERVING"' "$buf" curl --protocol grpc "$url/grpc.health.v1.Health/Check" -d '{}'
check health-service '"SERVING"' "$buf" curl --protocol grpc "$url/grpc.health.v1.Health/Check" -d "{\"service\":\"$svc\"}"
check ListImports '"importName": "second"' "$buf" curl --protocol grpc "$url/$svc/ListImports" -d '{"limit": 10}'
check GetImport '"stateRaw": "DONE"' "$buf" curl --protocol grpc "$url/$svc/GetImport" -d '{"importId": 103}'
check ListImportErrors '"errorType": "IMPORT_ERROR_TYPE_INVALID_EMAIL"' "$buf" curl --protocol grpc "$url/$svc/ListImportErrors" -d '{"importId": 103, "includeErrorMessage": true}'
check CancelImport '"status": "ACTION_STATUS_COMPLETE"' "$buf" curl --protocol grpc "$url/$svc/CancelImport" -d '{"importId": 102}'
check CancelImport-done '"code": "failed_precondition"' "$buf" curl --protocol grpc "$url/$svc/CancelImport" -d '{"importId": 103}'
check GetImport-invalid '"code": "invalid_argument"' "$buf" curl --protocol grpc "$url/$svc/GetImport" -d '{"importId": 0}'

# Client streaming: start (typed request), the file's bytes, end.
csv=$'email,firstname\nann@example.com,Ann\n'
cat > "$work/upload.jsonl" <<JSON
{"start": {"request": {"name": "e2e upload", "files": [{"fileName": "contacts.csv", "fileFormat": "FILE_FORMAT_CSV", "fileImportPage": {"hasHeader": true, "columnMappings": [{"columnName": "email", "propertyName": "email", "columnObjectTypeId": "0-1"}]}}]}, "files": [{"fileName": "contacts.csv", "sizeBytes": ${#csv}}]}}
{"chunk": {"fileIndex": 0, "data": "$(printf '%s' "$csv" | base64 -w0)"}}
{"end": {}}
JSON
check StartImport '"importName": "e2e upload"' "$buf" curl --protocol grpc "$url/$svc/StartImport" -d @"$work/upload.jsonl"

if grep -qF -- "$token" "$work/gateway.log"; then
  echo "FAIL: the gateway logged its HubSpot token"; failures=$((failures + 1))
fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
