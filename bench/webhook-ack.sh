#!/usr/bin/env bash
# Benchmark: webhook acknowledgement latency of trigger-service under load (wrk from Debian).
# Starts its own dev stack and trigger-service on spare ports, pre-signs N distinct generic-webhook pushes,
# and replays them with wrk at about RATE requests/s; then replays one push over and over (the duplicate path).
# Kafka is secured as by ./slipway up (SASL SCRAM and ACLs; trigger-service logs in as trigger, the registry takes writes
# with credentials) unless SLIPWAY_KAFKA_SECURITY=plaintext.
# Usage: bench/webhook-ack.sh [RATE=500|max] [SECONDS=30]
# RATE=max sends without pacing, each connection its next request as soon as the last is answered (CONNECTIONS
# connections, 10 unless set); BENCH_JAVA_OPTS adds JVM options to trigger-service (a JFR recording, for example).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${1:-500}"
DURATION="${2:-30}"
CONNECTIONS="${CONNECTIONS:-10}"
[[ "$RATE" == max || "$RATE" =~ ^[1-9][0-9]*$ ]] || { echo "RATE must be a number of requests/s or max, not '$RATE'" >&2; exit 2; }
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "SECONDS must be a whole number of seconds, not '$DURATION'" >&2; exit 2; }
WORK="$(mktemp -d)"
KAFKA_PORT=19092 CONTROLLER_PORT=19093 REGISTRY_PORT=18081 TRIGGER_PORT=18080
SECRET="bench-secret"
MANAGEMENT_TOKEN="bench-$RANDOM$RANDOM"
REGISTRY_USER_INFO="bench:bench-$RANDOM$RANDOM"
SECURITY="${SLIPWAY_KAFKA_SECURITY:-sasl}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

ls "$ROOT"/devstack/target/devstack-*-all.jar "$ROOT"/trigger-service/target/trigger-service-*-all.jar >/dev/null 2>&1 \
  || (cd "$ROOT" && ./mvnw -q -B -DskipTests package)

# The dev stack makes the principals' client properties files in $WORK/credentials.
SLIPWAY_DATA_DIR="$WORK/devstack" SLIPWAY_KAFKA_PORT=$KAFKA_PORT SLIPWAY_CONTROLLER_PORT=$CONTROLLER_PORT \
  SLIPWAY_REGISTRY_PORT=$REGISTRY_PORT SLIPWAY_REGISTRY_BASIC_AUTH=$REGISTRY_USER_INFO SLIPWAY_KAFKA_SECURITY=$SECURITY \
  SLIPWAY_KAFKA_CREDENTIALS="$WORK/credentials" java -jar "$ROOT"/devstack/target/devstack-*-all.jar >"$WORK/devstack.log" 2>&1 &
until grep -qs "devstack ready" "$WORK/devstack.log"; do
  kill -0 $! 2>/dev/null || { cat "$WORK/devstack.log" >&2; exit 1; }
  sleep 0.5
done
grep -o "kafka=.*) " "$WORK/devstack.log" # says whether Kafka runs secured
if [ "$SECURITY" = sasl ]; then
  login() { sed -n "s/^$1=//p" "$WORK/credentials/kafka-trigger.properties"; }
  export KAFKA_SECURITY_PROTOCOL="$(login security.protocol)" KAFKA_SASL_MECHANISM="$(login sasl.mechanism)" \
    KAFKA_SASL_JAAS_CONFIG="$(login sasl.jaas.config)" SLIPWAY_KAFKA_CREATE_TOPICS=false
fi

SCHEMA_REGISTRY_USER_INFO=$REGISTRY_USER_INFO KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT SCHEMA_REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT \
  TRIGGER_PORT=$TRIGGER_PORT SLIPWAY_MANAGEMENT_TOKEN=$MANAGEMENT_TOKEN SLIPWAY_WATCH='bench/**' SLIPWAY_WEBHOOK_SECRET=$SECRET LOG_LEVEL=WARN \
  java ${BENCH_JAVA_OPTS:-} -jar "$ROOT"/trigger-service/target/trigger-service-*-all.jar >"$WORK/trigger.log" 2>&1 &
TRIGGER_PID=$!
until curl -sf "http://127.0.0.1:$TRIGGER_PORT/health" >/dev/null; do
  kill -0 $! 2>/dev/null || { cat "$WORK/trigger.log" >&2; exit 1; }
  sleep 0.5
done

# Enough distinct pushes that none repeats within the run or the warm-up (the unpaced run assumes at most 8,000
# answers/s; the counts printed at the end tell whether pushes repeated).
if [ "$RATE" = max ]; then PER_SECOND=8000 DELAY=0; else PER_SECOND=$RATE DELAY=$((CONNECTIONS * 1000 / RATE)); fi
COUNT=$((PER_SECOND * (DURATION + 20)))
# One request a line, signature TAB body: a data file, since Lua allows a script only 65,536 constants.
/usr/bin/python3 - "$WORK/requests.tsv" "$COUNT" "$SECRET" <<'PY'
import hashlib, hmac, json, sys, uuid
path, count, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with open(path, "w") as out:
    for i in range(count):
        sha = hashlib.sha1(str(uuid.uuid4()).encode()).hexdigest()
        body = json.dumps({"repository": "bench/app-%d" % (i % 50), "cloneUrl": "https://git.example.org/bench/app.git",
                           "ref": "refs/heads/main", "sha": sha, "message": "bench %d" % i,
                           "author": {"name": "Bench", "email": "bench@example.org"}}, separators=(",", ":"))
        sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        out.write("%s\t%s\n" % (sig, body))
PY

cat >"$WORK/bench.lua" <<LUA
bodies = {}
signatures = {}
for line in io.lines("$WORK/requests.tsv") do
  local tab = line:find("\t", 1, true)
  signatures[#signatures + 1] = line:sub(1, tab - 1)
  bodies[#bodies + 1] = line:sub(tab + 1)
end
-- Each wrk thread has its own Lua state: thread t sends bodies offset+t, offset+t+THREADS, … so no body repeats.
local THREADS = 2
local threads_started = 0
function setup(thread)
  thread:set("id", threads_started)
  threads_started = threads_started + 1
end
local counter = 0
local total = #bodies
local single = os.getenv("SINGLE") == "1"
local offset = tonumber(os.getenv("OFFSET") or "0")
if $DELAY > 0 then
  function delay() return $DELAY end
end
function request()
  local i = single and 1 or ((offset + id + counter * THREADS) % total) + 1
  counter = counter + 1
  return wrk.format("POST", "/webhooks/generic", {
    ["Content-Type"] = "application/json",
    ["X-Slipway-Signature-256"] = "sha256=" .. signatures[i],
  }, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("requests: %d, errors: status %d / connect %d / timeout %d\n", summary.requests,
    summary.errors.status, summary.errors.connect, summary.errors.timeout))
  io.write(string.format("rate: %.0f req/s, latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

# CPU time trigger-service used (user + system, in clock ticks), to tell its cost per request apart from the machine's load.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$TRIGGER_PID/stat"; }
# Runs one wrk phase (SINGLE=$1) and prints its figures and the CPU trigger-service used meanwhile, per answer.
phase() {
  local before after out
  before=$(cpu_ticks)
  out=$(SINGLE=$1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/bench.lua" "$URL" | grep -E "^(requests|rate):")
  after=$(cpu_ticks)
  echo "$out"
  echo "$out" | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '/^requests:/ { gsub(",", "", $2);
    printf "trigger-service CPU: %.1f s, %.2f ms per request\n", ticks / hz, 1000 * ticks / hz / $2 }'
}

URL="http://127.0.0.1:$TRIGGER_PORT"
echo "warm-up (10 s); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"; OFFSET=$((PER_SECOND * (DURATION + 5))) SINGLE=0 wrk -t2 -c$CONNECTIONS -d10s -s "$WORK/bench.lua" "$URL" >/dev/null
echo "== distinct pushes, target ${RATE} req/s, ${DURATION}s, $CONNECTIONS connections (each accepted push is written to Kafka, acks=all)"
phase 0
echo "== one push redelivered, target ${RATE} req/s, ${DURATION}s (answered 'duplicate' from the ledger)"
phase 1
curl -s -H "Authorization: Bearer $MANAGEMENT_TOKEN" "$URL/prometheus" | grep -E '^slipway_trigger_(webhooks_answered|runs)_total' || true
