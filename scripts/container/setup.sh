#!/usr/bin/env bash
# Makes this machine build and run the function's image with podman, then builds it: the Debian packages,
# podman's settings for this kind of machine, local stand-ins for the base images (no Docker Hub here), the
# image from the unchanged Dockerfile. Every step checks first and does nothing when already done, so a
# second run costs seconds. Facts behind each step: ../shared/docs/containers.md of the team's notes.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/container

started=$(date +%s)
step() { echo "container setup: $* ($(( $(date +%s) - started )) s)" >&2; }

# podman and runc (crun, podman's default, cannot run under cgroup v1 hybrid mounts); podman-docker for a
# `docker` command kustomize can run; debootstrap for the stand-in base images. --no-install-recommends:
# podman-docker would otherwise pull in docker-compose and twenty python packages.
need=()
for pair in podman:podman runc:runc debootstrap:debootstrap; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[ -e /usr/bin/docker ] || need+=(podman-docker)
if [ "${#need[@]}" -gt 0 ]; then
  step "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

"$here/write-containers-conf.sh"
step "stand-in base images"
"$here/stand-in-bases.sh"
step "building the image"
"$here/build-image.sh"
step "done"
