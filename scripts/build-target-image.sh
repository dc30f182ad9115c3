#!/usr/bin/env bash
# Builds the local Docker image the end-to-end tests use as SSH targets, from a debootstrap rootfs (no registry is
# reachable here). Tagged lb-target:<hash of the recipe and this script>; does nothing when that tag exists.
# Prints the image name as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
recipe="$here/target-image/recipe.txt"
hash=$(cat "$recipe" "$0" | sha256sum | cut -c1-12)
image="lb-target:$hash"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
suite=$(sed -n 's/^suite=//p' "$recipe"); mirror=$(sed -n 's/^mirror=//p' "$recipe")
packages=$(sed -n 's/^packages=//p' "$recipe")
work=$(mktemp -d /var/tmp/lb-target.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "building $image with debootstrap ($suite: $packages); this takes a few minutes" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
# sshd needs host keys and its privilege-separation directory; tests add their own authorized key at start.
chroot "$work/rootfs" ssh-keygen -A >/dev/null
mkdir -p "$work/rootfs/run/sshd" "$work/rootfs/root/.ssh"
chmod 700 "$work/rootfs/root/.ssh"
rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
tar -C "$work/rootfs" -c . | docker import -c 'CMD ["/usr/sbin/sshd", "-D"]' - "$image" >/dev/null
echo "$image"
