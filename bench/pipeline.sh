#!/usr/bin/env bash
# Benchmark: the orchestration alone — per-hop latency, the no-op pipeline end to end, and throughput.
# Starts its own Slipway (./slipway up under a temporary SLIPWAY_HOME, spare ports) with builder, tester and deliverer
# on the dry-run backend (SLIPWAY_DRY_RUN=true: nothing is cloned, built, pulled, tested or copied; see
# docs/benchmarks.md), notifier-service posting to a local Slack/GitHub sink, and drives it with signed webhooks.
# Kafka is secured as ./slipway up secures it by default (SLIPWAY_KAFKA_SECURITY=plaintext turns that off); the harness
# reads the topics as ops. dashboard-service runs in the stack as ./slipway up starts it (SLIPWAY_DASHBOARD_ENABLED=false
# leaves it out); the harness follows its /events stream and reports how far behind the pipeline its read model is.
# Before any pipeline figure it measures Kafka's own latency on the same broker with Kafka's EndToEndLatency (3.9.1)
# (produce acks=all -> consumed, on a one-partition topic it creates and deletes, logged in as the admin on the secured
# stack) and gives every latency also as a multiple of Kafka's p50/p99, and every figure against issue #21's targets.
# Right after it, Kafka's exactly-once hop (io.slipway.bench.KafkaEosFloor: TransactionalMessageCopier's loop with
# Kafka's clients, one record per transaction, read_committed, driven one record at a time; two one-partition topics
# it creates and deletes, as the admin), to which each hop's p50 is also compared.
# Usage: bench/pipeline.sh [--write] [RATE=20] [LATENCY_RUNS=600] [THROUGHPUT_RUNS=3000]
#   --write  also puts the figures into docs/benchmarks.md (between the pipeline-bench markers)
# BENCH_FLOOR_MESSAGES (default 2000) and BENCH_FLOOR_BYTES (default 500): EndToEndLatency's messages and their size
# (the exactly-once hop's records have that size too). BENCH_EOS_FLOOR_MESSAGES (default 500): the exactly-once hop's.
# BENCH_WARMUP_RUNS (default two minutes at RATE: 2,400 at 20/s): the pipelines sent at RATE before the latency phase
# (why so many: see WARMUP_RUNS below).
# BENCH_SENDERS (default 8): concurrent senders of the throughput burst. BENCH_PORT_OFFSET (default 0) moves every port
# the stack listens on (28080-28099, 29092-29093) by that much, when another program holds one of them.
# BENCH_JFR=<dir> starts every service with a JFR recording (settings=profile) that each dumps into <dir> when the stack
# stops (<service>.jfr); it costs CPU, so figures taken with it are not comparable with figures taken without.
# BENCH_JAVA_OPTS sets the services' JVM options (default as ./slipway up); BENCH_MAX_POLL_RECORDS every stage's
# records per poll (default: Kafka's 500, as in production; the transactions do not change with it);
# BENCH_FETCH_MAX_WAIT_MS every following consumer's fetch.max.wait.ms (default: the services' 5 s; see
# docs/benchmarks.md). BENCH_IDLE_SECONDS (default 20): how long the idle stack's CPU is measured before the pipelines
# are sent; BENCH_IDLE_SETTLE (default 60): how many seconds after ./slipway up it starts. BENCH_LOG_LEVEL=INFO makes
# the services log every step; BENCH_LOGS=<dir> keeps their logs there afterwards, with latency.csv: the latency
# phase run by run (webhook sent, each event's record timestamp, notified; epoch ms).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRITE=0
if [ "${1:-}" = "--write" ]; then WRITE=1; shift; fi
RATE="${1:-20}"
LATENCY_RUNS="${2:-600}"
THROUGHPUT_RUNS="${3:-3000}"
WORK="$(mktemp -d)"
SECRET="bench-$RANDOM$RANDOM"
PORT_OFFSET="${BENCH_PORT_OFFSET:-0}"
SINK_PORT=$((28099 + PORT_OFFSET))
JAVA_OPTS="${BENCH_JAVA_OPTS:-$(bash -c 'eval "$(grep -E "^(AT_REST|DEFAULT)_JAVA_OPTS=" "$1")"; echo "$DEFAULT_JAVA_OPTS"' _ "$ROOT/slipway")}"
[ -n "$JAVA_OPTS" ] || { echo "no DEFAULT_JAVA_OPTS in $ROOT/slipway" >&2; exit 2; }
if [ -n "${BENCH_JFR:-}" ]; then
  case "$BENCH_JFR" in *[[:space:]\'\",]*) echo "BENCH_JFR: use a directory whose path has no spaces, quotes or commas" >&2; exit 2 ;; esac
  mkdir -p "$BENCH_JFR" && BENCH_JFR="$(cd "$BENCH_JFR" && pwd)"
  JAVA_OPTS="$JAVA_OPTS -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$BENCH_JFR"
fi

export SLIPWAY_HOME="$WORK/home" SLIPWAY_ENV_FILE="$WORK/bench.env"
export SLIPWAY_KAFKA_PORT=$((29092 + PORT_OFFSET)) SLIPWAY_CONTROLLER_PORT=$((29093 + PORT_OFFSET)) \
  SLIPWAY_REGISTRY_PORT=$((28081 + PORT_OFFSET))
export TRIGGER_PORT=$((28080 + PORT_OFFSET)) BUILDER_PORT=$((28082 + PORT_OFFSET)) TESTER_PORT=$((28083 + PORT_OFFSET)) \
  DELIVERER_PORT=$((28084 + PORT_OFFSET)) NOTIFIER_PORT=$((28085 + PORT_OFFSET)) DEPLOYER_PORT=$((28086 + PORT_OFFSET)) \
  DASHBOARD_PORT=$((28087 + PORT_OFFSET))

# Each service's JFR recording, dumped when it stops, named by the service instead of the process id.
declare -A SERVICE_OF_PID
note_pids() {
  local pidfile
  for pidfile in "$SLIPWAY_HOME"/*.pid; do
    [ -f "$pidfile" ] && SERVICE_OF_PID[$(cat "$pidfile")]="$(basename "$pidfile" .pid)"
  done
}
name_recordings() {
  local pid recording
  for pid in "${!SERVICE_OF_PID[@]}"; do
    for recording in "$BENCH_JFR"/hotspot-pid-"$pid"-*.jfr; do
      [ -f "$recording" ] && mv "$recording" "$BENCH_JFR/${SERVICE_OF_PID[$pid]}.jfr"
    done
  done
  echo
  echo "JFR recordings (settings=profile) in $BENCH_JFR: one per service. Read them with"
  echo "  jfr summary $BENCH_JFR/builder-service.jfr"
  echo "  jfr print --events jdk.ExecutionSample $BENCH_JFR/builder-service.jfr   # where the CPU time goes"
  echo "(bench/README.md says more.)"
}

cleanup() {
  [ -z "${BENCH_JFR:-}" ] || note_pids
  "$ROOT/slipway" down >/dev/null 2>&1 || true
  [ -z "${BENCH_JFR:-}" ] || name_recordings
  if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS" && cp "$SLIPWAY_HOME"/*.log "$BENCH_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The dry-run builder and tester wait on nothing but the schema registry, as the light stages do, and like them give a
# poll's records one transaction: so their retry budget must fit in the 60 s transaction timeout (theirs is 10 min).
cat >"$SLIPWAY_ENV_FILE" <<ENV
SLIPWAY_DRY_RUN=true
SLIPWAY_BUILD_RETRY_BUDGET=30s
SLIPWAY_TESTER_RETRY_BUDGET=30s
SLIPWAY_WATCH='bench/**'
SLIPWAY_WEBHOOK_SECRET='$SECRET'
SLIPWAY_STAGING_REGISTRY=registry.bench.invalid
SLIPWAY_RELEASE_REGISTRY=registry.bench.invalid
SLIPWAY_BUILDER_WORKDIR=$WORK/builder
SLIPWAY_TESTER_REPORTS_DIR=$WORK/reports
SLACK_WEBHOOK_URL=http://127.0.0.1:$SINK_PORT/slack/bench
GITHUB_API_URL=http://127.0.0.1:$SINK_PORT/github
GITHUB_TOKEN=bench-token
SLIPWAY_ISSUE_TRACKERS=github
LOG_LEVEL=${BENCH_LOG_LEVEL:-WARN}
SLIPWAY_JAVA_OPTS='$JAVA_OPTS'
${BENCH_MAX_POLL_RECORDS:+SLIPWAY_KAFKA_MAX_POLL_RECORDS=$BENCH_MAX_POLL_RECORDS}
${BENCH_FETCH_MAX_WAIT_MS:+SLIPWAY_KAFKA_FETCH_MAX_WAIT_MS=$BENCH_FETCH_MAX_WAIT_MS}
ENV
chmod 600 "$SLIPWAY_ENV_FILE" # it holds the webhook secret

ls "$ROOT"/bench/harness/target/bench-harness-*-all.jar >/dev/null 2>&1 || (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
"$ROOT/slipway" up >/dev/null

# CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (fields 14 and 15, in clock ticks).
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$1/stat"
}
# Notes in the associative array named $1 the CPU seconds each process of the stack has used so far, by pid file.
cpu_snapshot() {
  local -n into="$1"
  local pidfile
  for pidfile in "$SLIPWAY_HOME"/*.pid; do into[$pidfile]="$(cpu_seconds "$(cat "$pidfile")")"; done
}
# One table row per process: the awk program $2 prints it from n (its name), a (its CPU seconds in the snapshot named
# $1), b (its CPU seconds now) and x ($3).
cpu_rows() {
  local -n since="$1"
  local pidfile
  for pidfile in "$SLIPWAY_HOME"/*.pid; do
    [ -n "${since[$pidfile]:-}" ] || continue # a process started after the snapshot
    awk -v n="$(basename "$pidfile" .pid)" -v a="${since[$pidfile]}" -v b="$(cpu_seconds "$(cat "$pidfile")")" \
      -v x="$3" "BEGIN { $2 }"
  done
}
IDLE_SECONDS="${BENCH_IDLE_SECONDS:-20}"
IDLE_SETTLE="${BENCH_IDLE_SETTLE:-60}"
sleep "$IDLE_SETTLE" # start-up work (JIT compiling what the first seconds ran, topic metadata) is not idle work
declare -A IDLE_BEFORE
cpu_snapshot IDLE_BEFORE
sleep "$IDLE_SECONDS"
{
  echo "Idle, before the first webhook: CPU used in $IDLE_SECONDS s, from $IDLE_SETTLE s after the stack was up, by each process of the stack (% of one core):"
  echo
  echo "| process | CPU |"
  echo "|---|---|"
  cpu_rows IDLE_BEFORE 'printf "| %s | %.1f %% |\n", n, (b - a) * 100 / x' "$IDLE_SECONDS"
} >"$WORK/idle.md"
IDLE_TOTAL="$(awk -F'|' '/%/ { sub(/ %/, "", $3); total += $3 } END { printf "%.1f", total }' "$WORK/idle.md")"
echo "| **total** | **$IDLE_TOTAL %** |" >>"$WORK/idle.md"
HARNESS_JAR="$(ls "$ROOT"/bench/harness/target/bench-harness-*-all.jar | head -n 1)"

# Kafka's floor: its own EndToEndLatency on the same broker, on a topic of its own, logged in as the admin when secured.
FLOOR_MESSAGES="${BENCH_FLOOR_MESSAGES:-2000}"
FLOOR_BYTES="${BENCH_FLOOR_BYTES:-500}"
FLOOR_TOPIC="bench.kafka-floor.$RANDOM$RANDOM"
ADMIN_CONFIG="$SLIPWAY_HOME/credentials/kafka-admin.properties"
[ -f "$ADMIN_CONFIG" ] || ADMIN_CONFIG=""
floor_topic() {
  java -cp "$HARNESS_JAR" io.slipway.bench.KafkaFloor "$1" --bootstrap="127.0.0.1:$SLIPWAY_KAFKA_PORT" \
    ${ADMIN_CONFIG:+--kafka-config="$ADMIN_CONFIG"} --topic="$FLOOR_TOPIC"
}
floor_topic create
echo "Kafka's floor: EndToEndLatency, $FLOOR_MESSAGES messages of $FLOOR_BYTES bytes, acks=all …" >&2
java -Xmx256m -cp "$HARNESS_JAR" org.apache.kafka.tools.EndToEndLatency "127.0.0.1:$SLIPWAY_KAFKA_PORT" "$FLOOR_TOPIC" \
  "$FLOOR_MESSAGES" all "$FLOOR_BYTES" ${ADMIN_CONFIG:+"$ADMIN_CONFIG"} >"$WORK/floor.txt"
floor_topic delete
grep -E "^(Avg latency|Percentiles)" "$WORK/floor.txt" >&2
FLOOR_COMMAND="EndToEndLatency 127.0.0.1:$SLIPWAY_KAFKA_PORT <topic> $FLOOR_MESSAGES all $FLOOR_BYTES"
[ -z "$ADMIN_CONFIG" ] || FLOOR_COMMAND="$FLOOR_COMMAND kafka-admin.properties"
# Kafka's exactly-once hop, right after: a copier with one record per transaction, fed one record at a time (it
# creates and deletes its two topics and its group itself).
EOS_FLOOR_MESSAGES="${BENCH_EOS_FLOOR_MESSAGES:-500}"
echo "Kafka's exactly-once hop: TransactionalMessageCopier's loop, $EOS_FLOOR_MESSAGES records of $FLOOR_BYTES bytes, one per transaction …" >&2
java -Xmx256m -cp "$HARNESS_JAR" io.slipway.bench.KafkaEosFloor --bootstrap="127.0.0.1:$SLIPWAY_KAFKA_PORT" \
  ${ADMIN_CONFIG:+--kafka-config="$ADMIN_CONFIG"} --messages="$EOS_FLOOR_MESSAGES" --bytes="$FLOOR_BYTES" \
  >"$WORK/eos-floor.txt"
grep -E "^(Avg latency|Percentiles)" "$WORK/eos-floor.txt" >&2
EOS_FLOOR_COMMAND="KafkaEosFloor --messages=$EOS_FLOOR_MESSAGES --bytes=$FLOOR_BYTES"
[ -z "$ADMIN_CONFIG" ] || EOS_FLOOR_COMMAND="$EOS_FLOOR_COMMAND --kafka-config=kafka-admin.properties"
METRICS=""
for service in trigger:$TRIGGER_PORT builder:$BUILDER_PORT tester:$TESTER_PORT deliverer:$DELIVERER_PORT \
               notifier:$NOTIFIER_PORT; do
  METRICS="$METRICS${METRICS:+,}${service%%:*}=http://127.0.0.1:${service#*:}/prometheus"
done
SETTINGS=""
for name in BENCH_MAX_POLL_RECORDS BENCH_FETCH_MAX_WAIT_MS BENCH_JAVA_OPTS BENCH_FLOOR_MESSAGES BENCH_FLOOR_BYTES \
            BENCH_EOS_FLOOR_MESSAGES BENCH_WARMUP_RUNS BENCH_SENDERS BENCH_IDLE_SETTLE SLIPWAY_DASHBOARD_ENABLED; do
  if [ -n "${!name:-}" ]; then SETTINGS="$SETTINGS$name=$(printf '%q' "${!name}") "; fi
done
# The dashboard (in the stack unless SLIPWAY_DASHBOARD_ENABLED=false) is followed: how far behind the pipeline it is.
DASHBOARD_URL=""
[ "${SLIPWAY_DASHBOARD_ENABLED:-true}" = false ] || DASHBOARD_URL="http://127.0.0.1:$DASHBOARD_PORT"
[ -z "${BENCH_JFR:-}" ] || SETTINGS="${SETTINGS}BENCH_JFR=<dir> "
COMMAND="${SETTINGS}bench/pipeline.sh $RATE $LATENCY_RUNS $THROUGHPUT_RUNS"
# The harness only reads the pipeline topics: on a secured stack (the default) it logs in as ops, which may do no more.
KAFKA_CONFIG="$SLIPWAY_HOME/credentials/kafka-ops.properties"
[ -f "$KAFKA_CONFIG" ] || KAFKA_CONFIG=""
mkdir -p "${BENCH_LOGS:-$WORK}"
# What each process of the stack spends per pipeline: its CPU over the three phases (the warm-up, the latency phase,
# the burst), divided by their pipelines.
declare -A RUN_BEFORE
cpu_snapshot RUN_BEFORE
# The warm-up lasts two minutes: the broker's transaction paths become hot only under load, and its C2 compiler (with
# the harness's own) took a large share of the 2 cores for about two minutes after the first pipelines; the 300 runs
# used before (15 s at 20/s) left that inside the latency phase (docs/benchmarks.md).
WARMUP_RUNS="${BENCH_WARMUP_RUNS:-$((RATE * 120))}"
RUN_PIPELINES=$((WARMUP_RUNS + LATENCY_RUNS + THROUGHPUT_RUNS))
java -cp "$HARNESS_JAR" io.slipway.bench.PipelineBench --trigger="http://127.0.0.1:$TRIGGER_PORT" \
  --secret="$SECRET" --bootstrap="127.0.0.1:$SLIPWAY_KAFKA_PORT" ${KAFKA_CONFIG:+--kafka-config="$KAFKA_CONFIG"} --registry="http://127.0.0.1:$SLIPWAY_REGISTRY_PORT" \
  --metrics="$METRICS" --metrics-token-file="$SLIPWAY_HOME/credentials/management.token" --sink-port=$SINK_PORT --rate="$RATE" --warmup="$WARMUP_RUNS" --latency="$LATENCY_RUNS" \
  --throughput="$THROUGHPUT_RUNS" ${DASHBOARD_URL:+--dashboard="$DASHBOARD_URL"} --out="$WORK/report.md" --command="$COMMAND" \
  ${BENCH_LOGS:+--csv="$BENCH_LOGS/latency.csv"} --floor="$WORK/floor.txt" --floor-command="$FLOOR_COMMAND" \
  --eos-floor="$WORK/eos-floor.txt" --eos-floor-command="$EOS_FLOOR_COMMAND" \
  --idle-total="$IDLE_TOTAL" ${BENCH_SENDERS:+--senders="$BENCH_SENDERS"}
{
  echo "CPU per pipeline, over the $RUN_PIPELINES pipelines of the three phases (warm-up, latency, burst), by process:"
  echo
  echo "| process | CPU | per pipeline |"
  echo "|---|---|---|"
  cpu_rows RUN_BEFORE 'printf "| %s | %.1f s | %.2f ms |\n", n, b - a, (b - a) * 1000 / x' "$RUN_PIPELINES"
} >"$WORK/run-cpu.md"
awk -F'|' '/ ms \|/ { sub(/ s/, "", $3); sub(/ ms/, "", $4); s += $3; m += $4 }
  END { printf "| **total** | **%.1f s** | **%.2f ms** |\n", s, m }' "$WORK/run-cpu.md" >>"$WORK/run-cpu.md"
{ echo; cat "$WORK/idle.md"; echo; cat "$WORK/run-cpu.md"; } >>"$WORK/report.md"
echo; cat "$WORK/idle.md"; echo; cat "$WORK/run-cpu.md"

if [ "$WRITE" = 1 ]; then
  "$ROOT/bench/write-section.py" pipeline-bench "$ROOT/docs/benchmarks.md" "$WORK/report.md"
fi
