# Sourced: makes rootful podman work on a machine without a docker engine,
# without touching /etc/containers. The settings podman's defaults lack here:
# runc (crun refuses hybrid cgroups), cgroupfs, file events, and ulimits root
# can actually set (it lacks CAP_SYS_RESOURCE).
[ "$(id -u)" -eq 0 ] || { echo "podman needs root here (rootful podman)" >&2; exit 1; }
command -v podman >/dev/null || { echo "podman is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
_podman_conf=${TMPDIR:-/tmp}/hubspot-imports-podman.conf
_nofile=$(ulimit -Hn)
cat >"$_podman_conf" <<CONF
[containers]
default_ulimits = ["nofile=$_nofile:$_nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF=$_podman_conf
unset _podman_conf _nofile
