#!/usr/bin/env bash
# Regenerates the client stubs of hubspot.crm.imports.v1 from proto/ for
# Python, Ruby, PHP, Go and Node/TypeScript, with Debian's protoc and gRPC
# plugins (protoc-gen-go, protoc-gen-go-grpc; @grpc/proto-loader's type
# generator from package.json).
# `--check` regenerates into a temporary directory and fails, naming the
# files, when the committed stubs differ from what the .proto files give.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/client-stubs
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
api=(proto/hubspot/crm/imports/v1/*.proto)
# The detail types the gateway puts in its errors (BadRequest, ErrorInfo,
# RetryInfo), so that callers can read them.
details=(proto/google/rpc/status.proto proto/google/rpc/error_details.proto)
rel=("${api[@]#proto/}" "${details[@]#proto/}")

gen() {  # gen <language dir> <protoc flags...>
  local dir=$out/$1
  shift
  rm -rf "$dir/gen"
  mkdir -p "$dir/gen"
  (cd proto && protoc -I . "$@" "${rel[@]}")
}
gen python --python_out="$out/python/gen" --grpc_python_out="$out/python/gen" \
    --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin
gen ruby --ruby_out="$out/ruby/gen" --grpc_out="$out/ruby/gen" \
    --plugin=protoc-gen-grpc=/usr/bin/grpc_ruby_plugin
gen php --php_out="$out/php/gen" --grpc_out="$out/php/gen" \
    --plugin=protoc-gen-grpc=/usr/bin/grpc_php_plugin
# Go (GOPATH layout: gen/src/<import path>), the API only: Go programs get
# google.rpc's types from genproto, and registering them twice would clash.
# Import paths follow the .proto paths, given here rather than as
# go_package options so that the API stays free of any language's details.
rm -rf "$out/go/gen"
mkdir -p "$out/go/gen/src"
go_map=()
for f in "${api[@]#proto/}"; do
  go_map+=("M$f=hubspot/crm/imports/v1;importsv1")
done
(cd proto && protoc -I . \
    --go_out="$out/go/gen/src" --go_opt=paths=import \
    $(printf -- '--go_opt=%s ' "${go_map[@]}") \
    --go-grpc_out="$out/go/gen/src" --go-grpc_opt=paths=import \
    $(printf -- '--go-grpc_opt=%s ' "${go_map[@]}") \
    "${api[@]#proto/}")
# Node loads the .proto files at run time (@grpc/proto-loader); the
# generated TypeScript types make those calls typed.
rm -rf "$out/node/gen"
mkdir -p "$out/node/gen"
node_modules/.bin/proto-loader-gen-types --grpcLib=@grpc/grpc-js --longs=String \
    --enums=String --defaults --oneofs -I proto --outDir="$out/node/gen" \
    "${rel[@]}" >/dev/null

if [ "${1:-}" = "--check" ]; then
  differ=0
  for lang in python ruby php go node; do
    if ! diff -r "client-stubs/$lang/gen" "$out/$lang/gen" >/dev/null 2>&1; then
      echo "client-stubs/$lang/gen is out of date with proto/: run client-stubs/generate.sh"
      diff -rq "client-stubs/$lang/gen" "$out/$lang/gen" || true
      differ=1
    fi
  done
  exit $differ
fi
echo "stubs written under client-stubs/{python,ruby,php,go,node}/gen"
