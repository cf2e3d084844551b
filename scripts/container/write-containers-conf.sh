#!/usr/bin/env bash
# podman's settings for this machine, as a containers.conf drop-in (rewritten only when it would change):
# - ulimits no higher than the hard limits: without CAP_SYS_RESOURCE a container cannot raise them, and
#   podman's default (1048576) fails every run; nproc at most 32768, because podman 4.3 lowers its own
#   limit to that on start and runc then refuses anything higher;
# - runc, because crun cannot run under cgroup v1 hybrid mounts; cgroupfs and a file event log, because
#   there is no systemd.
set -euo pipefail
dir=/etc/containers/containers.conf.d
file=$dir/50-registry-proxy.conf

limit() { # the hard limit, capped
  local hard=$1 cap=$2
  if [ "$hard" = unlimited ] || [ "$hard" -gt "$cap" ]; then echo "$cap"; else echo "$hard"; fi
}
nofile=$(limit "$(ulimit -Hn)" 1048576)
nproc=$(limit "$(ulimit -Hu)" 32768)

wanted=$(cat <<CONF
# Written by registry-proxy's scripts/container/write-containers-conf.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
)
if [ "$(cat "$file" 2>/dev/null)" != "$wanted" ]; then
  mkdir -p "$dir"
  printf '%s\n' "$wanted" >"$file"
  echo "container setup: wrote $file" >&2
fi
# podman-docker's shim prints a banner on stderr on every call unless this file exists.
[ -e /etc/containers/nodocker ] || touch /etc/containers/nodocker
