#!/usr/bin/env bash
# Smoke test of the container image, offline, the way the upstream tutorial runs KES:
#   build the image (build.sh: local base + host-built bundle, no registry), create the server's and a client's
#   TLS identities with `<image> identity new`, start `<image> server --auth --mlock --config=…` with podman
#   (config and certificates mounted read-only, a data volume, a published loopback port, --cap-add IPC_LOCK,
#   KES_SERVER/KES_CLIENT_KEY/KES_CLIENT_CERT in the container), drive it from the host with the `kes` CLI
#   (create a key, generate and decrypt a data key, /v1/status), run the HEALTHCHECK, check the user and the
#   --mlock report (with and without IPC_LOCK), then stop it with SIGTERM and expect exit code 0 within seconds.
#
# Everything lives in a private podman store under /tmp that is deleted on exit, success or not.
# Output: one line per step on stdout, `SMOKE <step> ok <seconds> [detail]`, or `SMOKE <step> FAIL <why>` and
# exit 1. Progress and podman's own output go to stderr. Needs podman and runc (see tools/container/README.md).
set -euo pipefail

# shellcheck source=./build.sh
source "$(dirname "${BASH_SOURCE[0]}")/build.sh"

IMAGE=localhost/kes:smoke
BASE=localhost/kes-base-node:host
NAME="kes-smoke-$$"
STOP_LIMIT_S=10

current=setup
step_started=$(now_ms)
begin() { current="$1"; step_started=$(now_ms); log "step: $1"; }
ok() { printf 'SMOKE %s ok %s%s\n' "$current" "$(since "$step_started")" "${1:+ $1}"; }
fail() {
  printf 'SMOKE %s FAIL %s\n' "$current" "$*"
  if [ -n "${KES_CTR_WORK:-}" ] && kpodman container exists "$NAME" 2>/dev/null; then
    log "container log:"; kpodman logs "$NAME" >&2 2>&1 || true
  fi
  exit 1
}
on_exit() {
  local rc=$?
  [ $rc -ne 0 ] && [ "$current" != done ] && printf 'SMOKE %s FAIL exit status %d\n' "$current" "$rc"
  local t; t=$(now_ms)
  ctr_cleanup
  printf 'SMOKE cleanup ok %s %s\n' "$(since "$t")" "${KES_CTR_WORK:-}"
}

# The host's `kes` command line (the built CLI of this checkout).
kes() { node "$KES_REPO_ROOT/apps/kes/bin/kes.js" "$@"; }

total_started=$(now_ms)
ctr_init
trap on_exit EXIT
trap 'exit 130' INT TERM
printf 'SMOKE work ok 0 %s\n' "$KES_CTR_WORK"

begin base
base_image "$BASE" || fail "could not assemble the base image from $(command -v node)"
ok "node $(node --version)"

begin build
build_image "$IMAGE" "$BASE" || fail "podman build failed"
ok "$(kpodman image inspect "$IMAGE" --format '{{.Size}}') bytes"

begin labels
user="$(kpodman image inspect "$IMAGE" --format '{{.Config.User}}')"
[ "$user" = "1000:1000" ] || fail "image user is '$user', expected 1000:1000"
title="$(kpodman image inspect "$IMAGE" --format '{{index .Labels "org.opencontainers.image.title"}}')"
[ "$title" = kes ] || fail "label org.opencontainers.image.title is '$title'"
health="$(kpodman image inspect "$IMAGE" --format '{{json .HealthCheck}}')"
case "$health" in *healthcheck.mjs*) ;; *) fail "no HEALTHCHECK in the image: $health" ;; esac
ok "user=$user"

# Files the container sees: certificates (written by the image itself), the config, the keystore folder.
files="$KES_CTR_WORK/files"
mkdir -p "$files/certs" "$files/data"
chown 1000:1000 "$files/certs" "$files/data"
run_tool() { kpodman run --rm --network none --no-healthcheck -v "$files/certs:/certs" "$IMAGE" "$@"; }

begin identity-server
run_tool identity new --key /certs/private.key --cert /certs/public.crt --ip 127.0.0.1 --dns localhost localhost >&2 \
  || fail "'<image> identity new' for the server failed"
[ -s "$files/certs/public.crt" ] && [ -s "$files/certs/private.key" ] || fail "server key/certificate not written"
ok

begin identity-client
run_tool identity new --key /certs/client.key --cert /certs/client.crt smoke-client >&2 \
  || fail "'<image> identity new' for the client failed"
app_identity="$(kes identity of "$files/certs/client.crt")" || fail "the host CLI cannot read the client certificate"
[[ "$app_identity" =~ ^[0-9a-f]{64}$ ]] || fail "unexpected identity '$app_identity'"
ok "$app_identity"

cat >"$files/config.yml" <<'YAML'
address: 0.0.0.0:7373
admin:
  identity: disabled
tls:
  key: /certs/private.key
  cert: /certs/public.crt
policy:
  smoke-app:
    allow:
    - /v1/key/create/smoke-*
    - /v1/key/generate/smoke-*
    - /v1/key/decrypt/smoke-*
    - /v1/status
    identities:
    - ${APP_IDENTITY}
keystore:
  fs:
    path: /data/keys
YAML
chmod 644 "$files/config.yml"

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
export KES_SERVER="https://127.0.0.1:$port" KES_CLIENT_KEY="$files/certs/client.key" KES_CLIENT_CERT="$files/certs/client.crt" \
  KES_CA_PATH="$files/certs/public.crt"
unset KES_API_KEY MINIO_KES_SERVER MINIO_KES_API_KEY MINIO_KES_KEY_FILE MINIO_KES_CERT_FILE

begin start
kpodman run -d --name "$NAME" \
  -p "127.0.0.1:$port:7373" \
  --cap-add IPC_LOCK \
  -v "$files/config.yml:/etc/kes/config.yml:ro" \
  -v "$files/certs:/certs:ro" \
  -v "$files/data:/data" \
  -e KES_SERVER=https://127.0.0.1:7373 \
  -e KES_CLIENT_KEY=/certs/client.key \
  -e KES_CLIENT_CERT=/certs/client.crt \
  -e APP_IDENTITY="$app_identity" \
  "$IMAGE" server --auth --mlock --config=/etc/kes/config.yml >&2 || fail "podman run failed"
deadline=$(( $(now_ms) + 30000 ))
until kes status --json >/dev/null 2>&1; do
  [ "$(kpodman inspect "$NAME" --format '{{.State.Running}}')" = true ] || fail "the server exited: $(kpodman logs "$NAME" 2>&1 | tail -5)"
  [ "$(now_ms)" -lt "$deadline" ] || fail "no answer on $KES_SERVER within 30 s"
  sleep 0.2
done
ok "$KES_SERVER"

begin key-create
kes key create smoke-key >&2 || fail "kes key create failed"
ok

begin dek
dek="$(kes key dek smoke-key)" || fail "kes key dek failed"
plaintext="$(node -e 'const d=JSON.parse(process.argv[1]); if(!d.plaintext||!d.ciphertext) process.exit(1); console.log(d.plaintext)' "$dek")" \
  || fail "unexpected dek output: $dek"
ciphertext="$(node -e 'console.log(JSON.parse(process.argv[1]).ciphertext)' "$dek")"
[ "$(printf '%s' "$plaintext" | base64 -d | wc -c)" -eq 32 ] || fail "the data key is not 32 bytes"
ok

begin decrypt
decrypted="$(kes key decrypt smoke-key "$ciphertext")" || fail "kes key decrypt failed"
[ "$(node -e 'console.log(JSON.parse(process.argv[1]).plaintext)' "$decrypted")" = "$plaintext" ] \
  || fail "decrypt returned another plaintext: $decrypted"
ok

begin status
status="$(kes status --json)" || fail "kes status failed"
node -e 'const s=JSON.parse(process.argv[1]); if(typeof s.version!=="string"||s.keystore_unreachable) process.exit(1)' "$status" \
  || fail "unexpected /v1/status: $status"
[ -n "$(ls -A "$files/data/keys" 2>/dev/null)" ] || fail "the fs keystore wrote nothing to the data volume"
ok "$(node -e 'const s=JSON.parse(process.argv[1]); console.log(`version=${s.version} uptime=${s.uptime}`)' "$status")"

begin healthcheck
kpodman healthcheck run "$NAME" >&2 || fail "the image's HEALTHCHECK reports unhealthy"
ok

begin user
uid="$(kpodman exec "$NAME" node -p 'process.getuid()+":"+process.getgid()')" || fail "podman exec failed"
[ "$uid" = "1000:1000" ] || fail "the server runs as $uid"
ok "uid:gid=$uid"

begin mlock
mlock="$(kpodman logs "$NAME" 2>/dev/null | sed -n '/^MLock/,/^[A-Z=]/p' | sed '$d' | tr -s ' ' | tr '\n' ' ' | sed 's/ *$//')"
[ -n "$mlock" ] || fail "no MLock line in the banner"
printf '%s' "$mlock" | grep -q 'IPC_LOCK' || fail "the MLock report does not mention IPC_LOCK: $mlock"
ok "$mlock"

begin mlock-without-cap
kpodman run -d --name "$NAME-nocap" --network none --no-healthcheck "$IMAGE" server --dev --mlock >&2 || fail "podman run failed"
deadline=$(( $(now_ms) + 20000 ))
until kpodman logs "$NAME-nocap" 2>/dev/null | grep -q 'Server is up and running'; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "the development server did not start: $(kpodman logs "$NAME-nocap" 2>&1 | tail -5)"
  sleep 0.2
done
nocap="$(kpodman logs "$NAME-nocap" 2>/dev/null | sed -n '/^MLock/,/^[A-Z=]/p' | sed '$d' | tr -s ' ' | tr '\n' ' ' | sed 's/ *$//')"
[ "$nocap" != "$mlock" ] || fail "the MLock report is the same with and without IPC_LOCK: $nocap"
kpodman rm -f -t 2 "$NAME-nocap" >/dev/null
ok "$nocap"

begin stop
t=$(now_ms)
kpodman stop --time "$STOP_LIMIT_S" "$NAME" >&2 || fail "podman stop failed"
took_ms=$(( $(now_ms) - t ))
code="$(kpodman inspect "$NAME" --format '{{.State.ExitCode}}')"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM: $(kpodman logs "$NAME" 2>&1 | tail -5)"
[ "$took_ms" -lt $(( STOP_LIMIT_S * 1000 )) ] || fail "SIGTERM was not enough: podman killed it after ${STOP_LIMIT_S}s"
kpodman logs "$NAME" 2>&1 | grep -q 'SIGTERM' || fail "the server did not log the SIGTERM"
ok "exit=0 after ${took_ms}ms"

current=done
printf 'SMOKE total ok %s\n' "$(since "$total_started")"
