#!/bin/sh
# Starts Debian's docker-registry on :5000 with its storage in /var/lib/registry (deleting enabled).
#   REGISTRY_USERNAME + REGISTRY_PASSWORD  both set: every request needs that login (bcrypt htpasswd file written
#                                          to /run/registry, which may be a tmpfs); neither set: no authentication
#   REGISTRY_READONLY=true                 read-only (maintenance) mode: pulls are served, pushes and deletes refused;
#                                          several such instances may serve the volume of one read-write instance
# Any other REGISTRY_* variable still overrides the configuration as the registry documents.
set -eu

RUNDIR=${REGISTRY_RUN_DIR:-/run/registry}
CONFIG="$RUNDIR/config.yml"
fail() { echo "registry-entrypoint: $*" >&2; exit 64; }

username=${REGISTRY_USERNAME:-}
password=${REGISTRY_PASSWORD:-}
readonly_mode=${REGISTRY_READONLY:-false}
unset REGISTRY_USERNAME REGISTRY_PASSWORD REGISTRY_READONLY REGISTRY_RUN_DIR

case "$readonly_mode" in
  true) readonly_mode=true ;;
  false|'') readonly_mode=false ;;
  *) fail "REGISTRY_READONLY must be true or false, not '$readonly_mode'" ;;
esac
if [ -n "$username" ] || [ -n "$password" ]; then
  [ -n "$username" ] || fail "REGISTRY_PASSWORD is set but REGISTRY_USERNAME is not; set both or neither"
  [ -n "$password" ] || fail "REGISTRY_USERNAME is set but REGISTRY_PASSWORD is not; set both or neither"
  case "$username" in *:*|*[[:space:]]*) fail "REGISTRY_USERNAME must not contain ':' or spaces" ;; esac
fi

umask 077
mkdir -p "$RUNDIR"
{
  echo 'version: 0.1'
  echo 'log:'
  echo '  fields:'
  echo '    service: registry'
  echo 'storage:'
  echo '  filesystem:'
  echo '    rootdirectory: /var/lib/registry'
  echo '  delete:'
  echo '    enabled: true'
  echo '  maintenance:'
  echo '    readonly:'
  echo "      enabled: $readonly_mode"
  echo '    uploadpurging:'
  # Only the writing instance purges abandoned uploads; a read-only one must not touch the shared volume.
  if [ "$readonly_mode" = true ]; then
    echo '      enabled: false'
  else
    echo '      enabled: true'
    echo '      age: 168h'
    echo '      interval: 24h'
    echo '      dryrun: false'
  fi
  echo 'http:'
  echo '  addr: :5000'
  echo '  headers:'
  echo '    X-Content-Type-Options: [nosniff]'
  echo 'health:'
  echo '  storagedriver:'
  echo '    enabled: true'
  echo '    interval: 10s'
  echo '    threshold: 3'
  if [ -n "$username" ]; then
    echo 'auth:'
    echo '  htpasswd:'
    echo '    realm: slipway-registry'
    echo "    path: $RUNDIR/htpasswd"
  fi
} >"$CONFIG"
if [ -n "$username" ]; then
  # The password goes through stdin, never on a command line.
  printf '%s' "$password" | htpasswd -niB "$username" >"$RUNDIR/htpasswd" || fail "htpasswd could not hash the password"
fi
unset password
exec docker-registry serve "$CONFIG"
