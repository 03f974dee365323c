#!/usr/bin/env bash
# Benchmark: publication → healthy in staging on the local Docker engine, and the overhead Slipway adds on top of the
# engine's own pull, create, start and health time (measured against the engine with the same image, no Slipway),
# next to Kafka's own produce → consume floor on the same broker. Starts its own Slipway (./slipway up under a
# temporary SLIPWAY_HOME, spare ports, builder/tester/deliverer on the dry-run backend: only the deployer works) with
# one environment, staging, on the local engine; pushes REPETITIONS images of the sample app (each with its own page,
# so its own digest) to a Debian docker-registry on loopback; then io.slipway.bench.DeployBench writes each one's
# ArtifactPublished as the deliverer would and times it. Needs dockerd, docker-registry and busybox-static.
# Usage: bench/deploy.sh [--write] [REPETITIONS=10]
#   --write  also puts the figures into docs/benchmarks.md (between the deploy-bench markers)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRITE=0
if [ "${1:-}" = "--write" ]; then WRITE=1; shift; fi
REPETITIONS="${1:-10}"
[[ $REPETITIONS =~ ^[1-9][0-9]{0,2}$ ]] || { echo "usage: bench/deploy.sh [--write] [REPETITIONS=10]" >&2; exit 2; }
for tool in docker /usr/bin/docker-registry /bin/busybox; do
  command -v "$tool" >/dev/null || { echo "bench/deploy.sh needs $tool (docker.io, docker-registry, busybox-static)" >&2; exit 1; }
done
WORK="$(mktemp -d)"
REGISTRY_PORT=39500 STAGING_PORT=39580 ENGINE_PORT=39590
IMAGE_PREFIX="127.0.0.1:$REGISTRY_PORT/bench/deploy-app"

export SLIPWAY_HOME="$WORK/home" SLIPWAY_ENV_FILE="$WORK/bench.env"
export SLIPWAY_KAFKA_PORT=39092 SLIPWAY_CONTROLLER_PORT=39093 SLIPWAY_REGISTRY_PORT=39081
export TRIGGER_PORT=39180 BUILDER_PORT=39182 TESTER_PORT=39183 DELIVERER_PORT=39184 NOTIFIER_PORT=39185 DEPLOYER_PORT=39186

REGISTRY_PID=""
cleanup() {
  "$ROOT/slipway" down >/dev/null 2>&1 || true
  # Only what this run made: its engine probe, its staging containers (named after its bench/ repositories), its images.
  docker ps -a --format '{{.Names}}' | grep -E '^slipway-(bench-engine-[0-9]+|staging-bench-deploy-[0-9a-f]{8})$' \
    | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$IMAGE_PREFIX-" | xargs -r docker rmi >/dev/null 2>&1 || true
  [ -z "$REGISTRY_PID" ] || kill "$REGISTRY_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The release registry the images are published to: Debian's docker-registry on loopback, without a login.
mkdir -p "$WORK/registry"
cat >"$WORK/registry/config.yml" <<YML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$REGISTRY_PORT}
YML
/usr/bin/docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

# One image per repetition: the sample app with a page of its own. The engine keeps none of them: each repetition
# starts from an image it must pull.
cp -r "$ROOT/examples/hello-app" "$WORK/app"
cp /bin/busybox "$WORK/app/busybox"
IMAGES=""
for i in $(seq "$REPETITIONS"); do
  echo "<!-- bench image $i $RANDOM$RANDOM -->" >>"$WORK/app/www/index.html"
  docker build -q -t "$IMAGE_PREFIX-$i:bench" "$WORK/app" >/dev/null
  docker push -q "$IMAGE_PREFIX-$i:bench" >/dev/null
  IMAGES="$IMAGES${IMAGES:+,}$(docker inspect --format '{{index .RepoDigests 0}}' "$IMAGE_PREFIX-$i:bench")"
  docker rmi "$IMAGE_PREFIX-$i:bench" >/dev/null
done

cat >"$WORK/environments.yml" <<YML
environments:
  staging:
    repositories: ["bench/*"]
    url: http://127.0.0.1:$STAGING_PORT/
    target:
      kind: docker
      ports: ["127.0.0.1:$STAGING_PORT:8000"]
      memory: 256m
YML
# The dry-run builder and tester give a poll's records one transaction: their retry budget must fit in its 60 s timeout.
cat >"$SLIPWAY_ENV_FILE" <<ENV
SLIPWAY_DRY_RUN=true
SLIPWAY_BUILD_RETRY_BUDGET=30s
SLIPWAY_TESTER_RETRY_BUDGET=30s
SLIPWAY_WATCH='bench/**'
SLIPWAY_WEBHOOK_SECRET='bench-$RANDOM$RANDOM'
SLIPWAY_STAGING_REGISTRY=registry.bench.invalid
SLIPWAY_RELEASE_REGISTRY=127.0.0.1:$REGISTRY_PORT
SLIPWAY_BUILDER_WORKDIR=$WORK/builder
SLIPWAY_TESTER_REPORTS_DIR=$WORK/reports
SLIPWAY_DEPLOYER_ENVIRONMENTS=$WORK/environments.yml
LOG_LEVEL=${BENCH_LOG_LEVEL:-WARN}
ENV
chmod 600 "$SLIPWAY_ENV_FILE" # it holds the webhook secret

(cd "$ROOT" && ./mvnw -q -B ${MAVEN_ARGS:-} -pl bench/harness -am -DskipTests package)
"$ROOT/slipway" up >/dev/null
HARNESS_JAR="$(ls "$ROOT"/bench/harness/target/bench-harness-*-all.jar | head -n 1)"
# The harness writes what only the deliverer may (ArtifactPublished), so it logs in as the broker's super user.
KAFKA_CONFIG="$SLIPWAY_HOME/credentials/kafka-admin.properties"
java -cp "$HARNESS_JAR" io.slipway.bench.DeployBench --bootstrap="127.0.0.1:$SLIPWAY_KAFKA_PORT" \
  --kafka-config="$KAFKA_CONFIG" --registry="http://127.0.0.1:$SLIPWAY_REGISTRY_PORT" \
  --registry-user-info-file="$SLIPWAY_HOME/credentials/registry.userinfo" --images="$IMAGES" \
  --staging-port="$STAGING_PORT" --engine-port="$ENGINE_PORT" --out="$WORK/report.md" \
  --command="bench/deploy.sh $REPETITIONS"

if [ "$WRITE" = 1 ]; then
  "$ROOT/bench/write-section.py" deploy-bench "$ROOT/docs/benchmarks.md" "$WORK/report.md"
fi
