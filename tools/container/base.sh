#!/usr/bin/env bash
# Assembles a minimal Node.js base image from this machine's own `node` (no registry, no network):
# the node binary, the shared libraries `ldd` lists, /usr/bin/env (for `#!/usr/bin/env node`), a passwd/group
# with root, nobody and node (uid 1000, like the official node images), /tmp and /home/node.
# The image is what the Containerfile's NODE_IMAGE build argument expects: node at /usr/local/bin/node.
#
# Usage (with lib.sh's private store already set up by the caller):  base_image <tag>
# Standalone:  tools/container/base.sh <tag> <work-folder>   (uses the store in <work-folder>)
set -euo pipefail

# shellcheck source=./lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

base_image() {
  local tag="$1" node rootfs ctx f
  node="$(readlink -f "$(command -v node)")" || die "node is not installed on this machine"
  ctx="$KES_CTR_WORK/base-context"
  rootfs="$ctx/rootfs"
  rm -rf "$ctx"
  mkdir -p "$rootfs"/{usr/local/bin,usr/bin,etc,tmp,home/node}
  cp "$node" "$rootfs/usr/local/bin/node"
  cp /usr/bin/env "$rootfs/usr/bin/env"
  # The libraries (and the dynamic loader) at the paths the binaries ask for; files, not symlinks.
  for f in $( { ldd "$node"; ldd /usr/bin/env; } | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | sort -u); do
    mkdir -p "$rootfs$(dirname "$f")"
    cp -L "$f" "$rootfs$f"
  done
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  chown 1000:1000 "$rootfs/home/node"
  cat >"$ctx/Containerfile" <<'CF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_VERSION=host
CMD ["node"]
CF
  kpodman build --quiet --format docker --network none --pull=never -t "$tag" "$ctx" >/dev/null
  rm -rf "$ctx"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $# -eq 2 ] || die "usage: $0 <tag> <work-folder>"
  ctr_init "$2"
  base_image "$1"
  log "base image $1 in the store under $2"
fi
