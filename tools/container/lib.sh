# Shared helpers of the tools/container scripts (sourced, not run).
#
# Every podman call goes through `kpodman`, which keeps its state in a private store under $KES_CTR_WORK
# (images, containers, network config, events, runtime files), so deleting the work folder deletes every image
# and container. What podman 4.3 keeps outside regardless (no setting moves it): netavark's address database in
# /run/containers/networks, a blob-info cache in /var/lib/containers/cache, and the `podman0` bridge with its
# NETAVARK iptables chains, which stay after the last container (shared by all rootful podman users).
# The engine settings that these machines need (runtime runc, rlimits at or below the hard limits; see
# docs/container.md) live in a generated containers.conf that CONTAINERS_CONF points at.

# The repository root (tools/container/../..).
KES_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Prints "<seconds since $1>" with millisecond precision ($1 from `now_ms`).
now_ms() { date +%s%3N; }
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

# Logs a step to stderr.
log() { printf '[container] %s\n' "$*" >&2; }
die() { printf '[container] error: %s\n' "$*" >&2; exit 1; }

# Creates the private work folder and the containers.conf. Sets KES_CTR_WORK and exports CONTAINERS_CONF.
# Arguments: an optional existing folder to use instead of a fresh one under /tmp.
ctr_init() {
  command -v podman >/dev/null || die "podman is not installed (apt-get install -y podman runc)"
  KES_CTR_WORK="${1:-$(mktemp -d /tmp/kes-container.XXXXXX)}"
  mkdir -p "$KES_CTR_WORK"/{store,run,tmp,networks}
  chmod 700 "$KES_CTR_WORK"
  # rlimits for containers: never above this shell's hard limits (podman caps nproc at pid_max itself).
  local nofile nproc pidmax
  nofile="$(ulimit -Hn)"; [ "$nofile" = unlimited ] && nofile=65536
  nproc="$(ulimit -Hu)"; [ "$nproc" = unlimited ] && nproc=65536
  pidmax="$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)"
  [ "$nofile" -gt 65536 ] && nofile=65536
  [ "$nproc" -gt "$pidmax" ] && nproc="$pidmax"
  [ "$nproc" -gt 32768 ] && nproc=32768
  local runtime="${KES_CTR_RUNTIME:-}"
  if [ -z "$runtime" ]; then
    if command -v runc >/dev/null; then runtime=runc; else runtime=crun; fi
  fi
  cat >"$KES_CTR_WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]
[engine]
runtime = "${runtime}"
events_logger = "file"
events_logfile_path = "${KES_CTR_WORK}/run/events.log"
[network]
network_config_dir = "${KES_CTR_WORK}/networks"
CONF
  export CONTAINERS_CONF="$KES_CTR_WORK/containers.conf"
  # Registries are never asked: an image that is not in the private store is an error.
  export CONTAINERS_REGISTRIES_CONF="$KES_CTR_WORK/registries.conf"
  printf 'unqualified-search-registries = []\n' >"$CONTAINERS_REGISTRIES_CONF"
}

# podman on the private store.
kpodman() {
  podman --root "$KES_CTR_WORK/store" --runroot "$KES_CTR_WORK/run" --tmpdir "$KES_CTR_WORK/tmp" \
    --storage-driver "${KES_CTR_STORAGE_DRIVER:-overlay}" "$@"
}

# Removes every container and image of the private store, unmounts what is left and deletes the work folder.
# Safe to call more than once and after a partial start.
ctr_cleanup() {
  [ -n "${KES_CTR_WORK:-}" ] && [ -d "$KES_CTR_WORK" ] || return 0
  kpodman rm --all --force --time 2 >/dev/null 2>&1 || true
  kpodman rmi --all --force >/dev/null 2>&1 || true
  # Anything still mounted below the work folder (an interrupted overlay mount) is unmounted before deletion.
  local mnt
  for mnt in $(awk -v w="$KES_CTR_WORK" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$mnt" 2>/dev/null || true
  done
  rm -rf "$KES_CTR_WORK"
}
