#!/usr/bin/env bash
# Makes the base images the Dockerfile starts from, debian:bookworm and
# debian:bookworm-slim, from Debian's archive with debootstrap: this machine
# reaches the archive but no image registry. Skips images already present.
# Root only (debootstrap, rootful podman).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/podman-env.sh"

have() { podman image exists "$1"; }
if have docker.io/library/debian:bookworm && have docker.io/library/debian:bookworm-slim; then
  exit 0
fi

# The mirror this machine's apt uses.
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "base-images: no Debian mirror found in /etc/apt" >&2; exit 1; }

root=$(mktemp -d /var/tmp/bookworm-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base-images: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# What an image needs that a chroot does not: apt sources as the host's, no
# caches.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
  rm -f "$root/etc/apt/sources.list"
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

import() {
  tar --numeric-owner -C "$root" -c . |
    podman import --quiet --change 'CMD ["bash"]' - "$1" >/dev/null
}
import docker.io/library/debian:bookworm
# -slim: the same system without documentation and locales, as Debian's own.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
  'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
  'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
  > "$root/etc/dpkg/dpkg.cfg.d/docker-slim"
import docker.io/library/debian:bookworm-slim
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep debian
