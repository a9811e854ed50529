#!/usr/bin/env bash
# The container images, for real: builds them with podman (docker/build.sh),
# runs the emulator and the gateway in one pod as a Kubernetes pod would
# (read-only root filesystem, non-root, no capabilities, secrets mounted as
# files, the spool a volume), and from the host, through the published
# ports, calls every RPC with buf curl, scrapes GET /metrics, checks the
# HEALTHCHECK, and stops the gateway with SIGTERM.
# Usage: image_test.sh BUF REPO_ROOT
set -euo pipefail
buf=$1 root=$2
cd "$root"
source docker/podman-env.sh
tag=test
docker/build.sh "$tag"

work=$(mktemp -d)
pod=hubspot-imports-test-$$
cleanup() {
  podman pod rm -f "$pod" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

token="pat-image-test-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
caller_token="caller-image-test-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
# What the kubelet does for a Secret volume: files the container's user can
# read, nobody else; the spool stands for an emptyDir.
mkdir -m 0700 "$work/secrets" "$work/tls" "$work/config" "$work/emulator" "$work/spool"
printf '%s\n' "$token" > "$work/secrets/private-app-token"
printf '{"privateAppTokens": ["%s"]}\n' "$token" > "$work/emulator/credentials.json"
# The listener's certificate, from a CA made here; callers trust the CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=image-test-ca -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
  -keyout "$work/tls/tls.key" -out "$work/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/san.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/san.ext" -out "$work/tls/tls.crt" 2>/dev/null
# The image's configuration with one caller, known by its token's hash.
/usr/bin/python3 - docker/gateway.json "$(printf %s "$caller_token" | sha256sum | cut -d' ' -f1)" \
  > "$work/config/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["access"]["callers"] = [{"name": "image-test", "tokenSha256": [sys.argv[2]],
    "permissions": ["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"]}]
print(json.dumps(config))
PY
chown -R 10001:10001 "$work/secrets" "$work/tls" "$work/config" "$work/emulator" "$work/spool"
chmod 0400 "$work/secrets/private-app-token" "$work/emulator/credentials.json" "$work/tls/tls.key"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port) emulator_port=$(free_port) metrics_port=$(free_port)
podman pod create --name "$pod" -p "127.0.0.1:$port:50051" -p "127.0.0.1:$emulator_port:8089" \
  -p "127.0.0.1:$metrics_port:9464" >/dev/null
hardening=(--read-only --read-only-tmpfs=false --cap-drop=ALL --security-opt=no-new-privileges)
podman run -d --pod "$pod" --name "$pod-emulator" "${hardening[@]}" \
  -v "$work/emulator:/etc/hubspot-emulator:ro" \
  "localhost/hubspot-emulator:$tag" --http_port=8089 \
  --credentials_file=/etc/hubspot-emulator/credentials.json >/dev/null
# No systemd here to schedule the HEALTHCHECK; the test runs it itself.
podman run -d --pod "$pod" --name "$pod-gateway" "${hardening[@]}" --health-interval=disable \
  -v "$work/secrets:/var/run/secrets/hubspot:ro" -v "$work/spool:/var/spool/hubspot-imports" \
  -v "$work/tls:/var/run/secrets/hubspot-imports-gateway/tls:ro" \
  -v "$work/config:/etc/hubspot-imports-gateway:ro" \
  -e HUBSPOT_BASE_URL=http://127.0.0.1:8089 \
  "localhost/hubspot-imports-gateway:$tag" >/dev/null 2>"$work/podman-run.log" ||
  { cat "$work/podman-run.log"; echo "FAIL: podman run"; exit 1; }

# Start-up ends with the "serving" line (or the process's end).
wait_for_log() {  # CONTAINER TEXT
  grep -m1 -qF -- "$2" < <(timeout 60 podman logs -f "$1" 2>&1)
}
wait_for_log "$pod-emulator" 'HubSpot emulator listening' ||
  { podman logs "$pod-emulator"; echo "FAIL: the emulator did not start"; exit 1; }
wait_for_log "$pod-gateway" '"msg":"serving"' ||
  { podman logs "$pod-gateway"; echo "FAIL: the gateway did not start"; exit 1; }

failures=0 passes=0
pass() { echo "ok   $1"; passes=$((passes + 1)); }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
check() {  # check NAME EXPECTED-SUBSTRING COMMAND...
  local name=$1 want=$2 out; shift 2
  out=$("$@" 2>&1) || true
  if grep -qF -- "$want" <<<"$out"; then pass "$name"; else
    fail "$name: expected '$want' in:"; sed 's/^/    /' <<<"$out"
  fi
}
url=https://127.0.0.1:$port
svc=hubspot.crm.imports.v1.ImportService
tls=(--cacert "$work/ca.pem")
as_caller=(-H "Authorization: Bearer $caller_token")
rpc() { "$buf" curl --protocol grpc "${tls[@]}" "${as_caller[@]}" "$url/$svc/$1" -d "$2"; }

check healthcheck-defined 'hubspot-imports health' \
  podman image inspect --format '{{.Config.Healthcheck.Test}}' "localhost/hubspot-imports-gateway:$tag"
if out=$(podman healthcheck run "$pod-gateway" 2>&1); then pass healthcheck-passes; else
  fail "healthcheck-passes: $out"
fi
check health-hubspot '"SERVING"' "$buf" curl --protocol grpc "${tls[@]}" "$url/grpc.health.v1.Health/Check" -d '{"service": "hubspot"}'
check reflection "$svc" "$buf" curl --protocol grpc "${tls[@]}" --list-services "$url"
check plaintext-refused 'Failure' "$buf" curl --protocol grpc "http://127.0.0.1:$port/$svc/GetImport" -d '{"importId": 1}'
check unknown-caller '"code": "unauthenticated"' "$buf" curl --protocol grpc "${tls[@]}" \
  -H "Authorization: Bearer caller-guessed" "$url/$svc/GetImport" -d '{"importId": 1}'

# StartImport: the emulator's sample CSV, streamed in one chunk.
csv=emulator/samples/contacts.csv
/usr/bin/python3 - "$csv" emulator/samples/contacts.import.json > "$work/upload.jsonl" <<'PY'
import base64, json, os, sys
csv, request = sys.argv[1], open(sys.argv[2]).read()
print(json.dumps({"start": {"importRequestJson": request, "files": [
    {"fileName": "contacts.csv", "sizeBytes": os.path.getsize(csv)}]}}))
print(json.dumps({"chunk": {"fileIndex": 0,
                            "data": base64.b64encode(open(csv, "rb").read()).decode()}}))
print(json.dumps({"end": {}}))
PY
started=$(rpc StartImport @"$work/upload.jsonl" 2>&1) || true
id=$(sed -nE 's/.*"id": "?([0-9]+)"?.*/\1/p' <<<"$started" | head -1)
if [ -n "$id" ]; then pass "StartImport (import $id)"; else fail "StartImport: $started"; id=0; fi
check ListImports "\"id\": \"$id\"" rpc ListImports '{"limit": 10}'
check GetImport '"stateRaw": "STARTED"' rpc GetImport "{\"importId\": $id}"
# The emulator's clock moves on rather than the test waiting.
curl -sf -X POST -d '{"by": "1h"}' "http://127.0.0.1:$emulator_port/__emulator/advance" >/dev/null ||
  fail "could not advance the emulator's clock"
check GetImport-done '"stateRaw": "DONE"' rpc GetImport "{\"importId\": $id}"
check ListImportErrors '"lineNumber": 6' rpc ListImportErrors "{\"importId\": $id, \"includeErrorMessage\": true}"
check CancelImport-done '"code": "failed_precondition"' rpc CancelImport "{\"importId\": $id}"
check GetImport-unknown '"code": "not_found"' rpc GetImport '{"importId": 999999}'

# Prometheus' scrape: the image's configuration serves GET /metrics on 9464
# (plain HTTP, a port of its own), reachable through the published port, with
# the calls above counted, and no secret in it.
check metrics-exposed 9464/tcp \
  podman image inspect --format '{{.Config.ExposedPorts}}' "localhost/hubspot-imports-gateway:$tag"
check metrics-address-logged '"metrics_address":"0.0.0.0:9464"' podman logs "$pod-gateway"
metrics_status=$(curl -s -o "$work/metrics.txt" -w '%{http_code}' --max-time 10 \
  "http://127.0.0.1:$metrics_port/metrics" 2>&1) || true
if [ "$metrics_status" = 200 ] && grep -q '^hubspot_gateway_build_info{' "$work/metrics.txt"; then
  pass "metrics: GET /metrics 200 with hubspot_gateway_build_info"
else
  fail "metrics: GET /metrics answered '$metrics_status':"; head -20 "$work/metrics.txt" 2>/dev/null | sed 's/^/    /'
fi
check metrics-counts-calls 'grpc_method="StartImport",grpc_code="OK"} 1' \
  grep '^grpc_server_handled_total{' "$work/metrics.txt"
metrics_secrets=0
for secret in "$token" "$caller_token" "$(sed -n 2p "$work/tls/tls.key")"; do
  if grep -qF -- "$secret" "$work/metrics.txt"; then metrics_secrets=$((metrics_secrets + 1)); fi
done
if [ "$metrics_secrets" = 0 ] && [ -s "$work/metrics.txt" ]; then pass "metrics: no secret"; else
  fail "metrics: $metrics_secrets secret(s) in /metrics"
fi

# Without a mounted configuration and secrets the image refuses to start,
# saying what is missing.
code=0
unconfigured=$(podman run --rm --read-only "localhost/hubspot-imports-gateway:$tag" 2>&1) || code=$?
if [ "$code" = 2 ] && grep -q '"msg":"cannot start: ' <<<"$unconfigured"; then
  pass "unconfigured: one start-up error, exit 2"
else
  fail "unconfigured: exit $code: $unconfigured"
fi

# Hardening as run.
check non-root 10001 podman exec "$pod-gateway" id -u
check read-only-root 'Read-only file system' podman exec "$pod-gateway" touch /etc/probe
check spool-writable ok podman exec "$pod-gateway" sh -c 'touch /var/spool/hubspot-imports/probe && rm /var/spool/hubspot-imports/probe && echo ok'

# SIGTERM: drain and exit 0, well within podman's timeout.
# (podman complains on stderr that it has no systemd timer to remove.)
podman stop -t 30 "$pod-gateway" >/dev/null 2>&1
code=$(podman inspect --format '{{.State.ExitCode}}' "$pod-gateway")
logs=$(podman logs "$pod-gateway" 2>&1)
if [ "$code" = 0 ] && grep -q '"signal":"SIGTERM"' <<<"$logs" && grep -q '"msg":"stopped"' <<<"$logs"; then
  pass "SIGTERM: drained, exit 0"
else
  fail "SIGTERM: exit code $code"; sed 's/^/    /' <<<"$logs" | tail -5
fi
for secret in "$token" "$caller_token"; do
  if grep -qF -- "$secret" <<<"$logs"; then fail "the gateway logged a secret"; fi
done
grep -q '"audit":true,"rpc":"StartImport","caller":"image-test"' <<<"$logs" &&
  pass "audit line for StartImport" || fail "no audit line for StartImport"

for image in hubspot-imports-gateway hubspot-emulator; do
  echo "image $image:$tag: $(( $(podman image inspect --format '{{.Size}}' "localhost/$image:$tag") / 1000000 )) MB"
done
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
