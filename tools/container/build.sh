#!/usr/bin/env bash
# Builds the image offline from the repository's Containerfile, with no registry and no npm:
#   1. a Node.js base assembled from this machine's node (base.sh) is passed as NODE_IMAGE;
#   2. the `bundle` stage is replaced by the production tree that bundle.mjs lays out from this checkout
#      (`--build-context bundle=…`), so the Containerfile's npm/nx stage does not run.
# Needs: podman (+ runc on these machines), an installed checkout (`npm ci`); builds missing dist folders with nx.
#
# Standalone:  tools/container/build.sh [-o /tmp/kes-image.tar] [-t localhost/kes:dev]
#   writes the image as a docker-archive (`podman load -i kes-image.tar` puts it in any store) and leaves
#   nothing else behind: it builds in a private store under /tmp and deletes it.
# Sourced (smoke.sh):  build_image <tag> <base-tag>   (after ctr_init)
set -euo pipefail

# shellcheck source=./lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=./base.sh
source "$(dirname "${BASH_SOURCE[0]}")/base.sh"

# The workspace projects the image needs built (the keystores are loaded by name from the config).
KES_IMAGE_PROJECTS='kes,kes-server,@kes/keystore-*'

# Lays out the production tree in $KES_CTR_WORK/bundle-context/out (building first when a dist is missing).
bundle_tree() {
  local ctx="$KES_CTR_WORK/bundle-context"
  if ! node "$KES_REPO_ROOT/tools/container/bundle.mjs" --root "$KES_REPO_ROOT" --out "$ctx/out" >&2; then
    log "building the workspace packages the image needs (nx run-many -t build)"
    (cd "$KES_REPO_ROOT" && NX_DAEMON=false npx nx run-many -t build --projects="$KES_IMAGE_PROJECTS" --output-style=static >&2)
    node "$KES_REPO_ROOT/tools/container/bundle.mjs" --root "$KES_REPO_ROOT" --out "$ctx/out" >&2
  fi
}

# Builds <tag> from the Containerfile on <base-tag>, offline. Prints nothing on stdout.
build_image() {
  local tag="$1" base="$2" version
  bundle_tree
  version="$(node -p "require('$KES_REPO_ROOT/apps/kes/package.json').version")"
  kpodman build --layers=false --format docker --pull=never --network none \
    --build-arg NODE_IMAGE="$base" \
    --build-arg VERSION="$version" \
    --build-arg REVISION="${KES_COMMIT:-}" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --build-context bundle="$KES_CTR_WORK/bundle-context" \
    -f "$KES_REPO_ROOT/Containerfile" -t "$tag" "$KES_REPO_ROOT" >&2
  rm -rf "$KES_CTR_WORK/bundle-context"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  output=/tmp/kes-image.tar
  tag=localhost/kes:dev
  while getopts 'o:t:h' opt; do
    case "$opt" in
      o) output="$OPTARG" ;;
      t) tag="$OPTARG" ;;
      *) echo "usage: $0 [-o /tmp/kes-image.tar] [-t localhost/kes:dev]" >&2; exit 2 ;;
    esac
  done
  output="$(realpath -m "$output")"
  ctr_init
  trap ctr_cleanup EXIT
  trap 'exit 130' INT TERM
  started=$(now_ms)
  base_image localhost/kes-base-node:host
  log "base image assembled from $(command -v node) ($(node --version)) in $(since "$started")s"
  step=$(now_ms)
  build_image "$tag" localhost/kes-base-node:host
  log "image $tag built in $(since "$step")s"
  kpodman save --format docker-archive -o "$output" "$tag" >&2
  log "wrote $output ($(du -h "$output" | cut -f1)); load it with: podman load -i $output  (total $(since "$started")s)"
fi
