#!/usr/bin/env bash
# Benchmark: the docker-compose stack. Cold `docker-compose up -d` (images present, fresh volumes) until every container
# is healthy, then a `git push` of the sample app through trigger-service's post-receive hook until it answers in
# staging (built, tested, published, deployed by the containers). Runs its own project (slipway-bench-<id>) with an
# env file of its own (./slipway compose-env) on spare ports, and removes it with its volumes and the deployed app at
# the end. Builds the images first when they are missing (./slipway images). Needs dockerd, docker-compose, git, curl,
# openssl and busybox-static; staging's port 28180 (deploy/environments.compose.yml) must be free.
# Usage: bench/compose.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in docker docker-compose git curl openssl /bin/busybox; do
  command -v "$tool" >/dev/null || { echo "bench/compose.sh needs $tool" >&2; exit 1; }
done
WORK="$(mktemp -d)"
chmod 755 "$WORK"
ID=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
PROJECT="slipway-bench-$ID" REPOSITORY="demo/bench-$ID" ENV_FILE="$WORK/compose.env"
compose() { docker-compose -p "$PROJECT" --env-file "$ENV_FILE" -f "$ROOT/docker-compose.yml" "$@"; }

cleanup() {
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker ps -aq --filter "label=io.slipway.repository=$REPOSITORY" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# True while fewer than $2 seconds have passed since $1.
within() { awk -v a="$1" -v b="$(now)" -v limit="$2" 'BEGIN { exit !(b - a < limit) }'; }

if ! docker image inspect slipway/kafka:latest slipway/dashboard-service:latest >/dev/null 2>&1; then
  echo "Building the images first (./slipway images) …"
  "$ROOT/slipway" images
fi
SLIPWAY_GIT_ROOT="$WORK/git" "$ROOT/slipway" compose-env "$ENV_FILE" >/dev/null
cat >>"$ENV_FILE" <<PORTS
SLIPWAY_TRIGGER_PORT=39280
SLIPWAY_TESTER_PORT=39283
SLIPWAY_DEPLOYER_PORT=39286
SLIPWAY_DASHBOARD_PORT=39287
SLIPWAY_SCHEMA_REGISTRY_PORT=39281
SLIPWAY_KAFKA_EXTERNAL_PORT=39292
SLIPWAY_STAGING_REGISTRY_PORT=39201
SLIPWAY_RELEASE_REGISTRY_PORT=39202
PORTS

all_healthy() {
  local ids states
  mapfile -t ids < <(compose ps -q)
  [ "${#ids[@]}" -eq 12 ] || return 1
  states=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "${ids[@]}")
  [ "$(grep -cx healthy <<<"$states")" -eq 12 ]
}

echo "Cold start: docker-compose up -d until all 12 containers are healthy …"
start=$(now)
compose up -d >/dev/null 2>&1
until all_healthy; do
  within "$start" 600 || { compose ps; echo "not healthy within 600 s" >&2; exit 1; }
  sleep 1
done
up=$(seconds "$start" "$(now)")

set -a; . "$ENV_FILE"; set +a
bare="$WORK/git/bench.git" work="$WORK/work"
git init -q --bare --initial-branch=main "$bare"
(umask 077 && printf '%s' "$SLIPWAY_WEBHOOK_SECRET" >"$WORK/webhook.secret")
"$ROOT/trigger-service/hooks/install-hook.sh" "$bare" --url "http://127.0.0.1:$SLIPWAY_TRIGGER_PORT" \
  --secret-file "$WORK/webhook.secret" --repository "$REPOSITORY" >/dev/null
git init -q --initial-branch=main "$work"
cp -R "$ROOT/examples/hello-app/." "$work/"
cp /bin/busybox "$work/busybox"
sed -i "s|^image: .*|image: $REPOSITORY|" "$work/.slipway.yml"
git -C "$work" -c user.name=bench -c user.email=bench@slipway.invalid add -A
git -C "$work" -c user.name=bench -c user.email=bench@slipway.invalid commit -q -m "bench: hello-app"
git -C "$work" remote add origin "$bare"

echo "Push → answering in staging (http://127.0.0.1:28180/) …"
start=$(now)
git -C "$work" push -q origin main >/dev/null 2>&1
until curl -fsS --max-time 2 http://127.0.0.1:28180/ 2>/dev/null | grep -q "Hello from a Slipway-built image"; do
  within "$start" 600 || { echo "not deployed within 600 s" >&2; exit 1; }
  sleep 0.5
done
deployed=$(seconds "$start" "$(now)")

cat <<REPORT

| what (docker-compose stack, images present) | seconds |
|---|---|
| cold \`docker-compose up -d\` → all 12 containers healthy | $up |
| \`git push\` → answering in staging (built, tested, published, deployed) | $deployed |

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); reproduce: bench/compose.sh
REPORT
