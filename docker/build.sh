#!/usr/bin/env bash
# Builds the gateway's and the emulator's images with rootful podman (no
# docker engine needed), from base images made locally from Debian's archive,
# and reports their sizes.
#
#   docker/build.sh [TAG]      # default tag: dev
#
# Images: localhost/hubspot-imports-gateway:TAG, localhost/hubspot-emulator:TAG.
set -euo pipefail
cd "$(dirname "$0")/.."
source docker/podman-env.sh
tag=${1:-dev}
docker/base-images.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
build() {  # target image
  # --format docker: the OCI format has no HEALTHCHECK.
  podman build --pull=never --format docker --layers \
    --build-arg JOBS="${JOBS:-2}" -f docker/Dockerfile --target "$1" -t "$2" . >"$log" 2>&1 ||
    { tail -40 "$log" >&2; echo "docker/build.sh: building $2 failed" >&2; exit 1; }
}
build gateway "localhost/hubspot-imports-gateway:$tag"
build emulator "localhost/hubspot-emulator:$tag"
# The build stage stays in podman's store as untagged layers: that is the
# cache that makes a rebuild without source changes take seconds.
# `podman image prune` frees it (about 0.6 GB).
for image in hubspot-imports-gateway hubspot-emulator; do
  size=$(podman image inspect --format '{{.Size}}' "localhost/$image:$tag")
  echo "$image:$tag $((size / 1000000)) MB"
done
