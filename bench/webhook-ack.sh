#!/usr/bin/env bash
# Benchmark: webhook acknowledgement latency of trigger-service under load (wrk from Debian).
# Starts its own dev stack and trigger-service on spare ports, pre-signs N distinct generic-webhook pushes,
# and replays them with wrk at about RATE requests/s; then replays one push over and over (the duplicate path).
# Usage: bench/webhook-ack.sh [RATE=500] [SECONDS=30]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${1:-500}"
DURATION="${2:-30}"
CONNECTIONS=10
WORK="$(mktemp -d)"
KAFKA_PORT=19092 CONTROLLER_PORT=19093 REGISTRY_PORT=18081 TRIGGER_PORT=18080
SECRET="bench-secret"
MANAGEMENT_TOKEN="bench-$RANDOM$RANDOM"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

ls "$ROOT"/devstack/target/devstack-*-all.jar "$ROOT"/trigger-service/target/trigger-service-*-all.jar >/dev/null 2>&1 \
  || (cd "$ROOT" && ./mvnw -q -B -DskipTests package)

SLIPWAY_DATA_DIR="$WORK/devstack" SLIPWAY_KAFKA_PORT=$KAFKA_PORT SLIPWAY_CONTROLLER_PORT=$CONTROLLER_PORT \
  SLIPWAY_REGISTRY_PORT=$REGISTRY_PORT java -jar "$ROOT"/devstack/target/devstack-*-all.jar >"$WORK/devstack.log" 2>&1 &
until grep -q "devstack ready" "$WORK/devstack.log"; do sleep 0.5; done

KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT SCHEMA_REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT \
  TRIGGER_PORT=$TRIGGER_PORT SLIPWAY_MANAGEMENT_TOKEN=$MANAGEMENT_TOKEN SLIPWAY_WATCH='bench/**' SLIPWAY_WEBHOOK_SECRET=$SECRET LOG_LEVEL=WARN \
  java -jar "$ROOT"/trigger-service/target/trigger-service-*-all.jar >"$WORK/trigger.log" 2>&1 &
until curl -sf "http://127.0.0.1:$TRIGGER_PORT/health" >/dev/null; do sleep 0.5; done

COUNT=$((RATE * (DURATION + 20)))
/usr/bin/python3 - "$WORK/requests.lua" "$COUNT" "$SECRET" <<'PY'
import hashlib, hmac, json, sys, uuid
path, count, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with open(path, "w") as out:
    out.write("bodies = {}\nsignatures = {}\n")
    for i in range(count):
        sha = hashlib.sha1(str(uuid.uuid4()).encode()).hexdigest()
        body = json.dumps({"repository": "bench/app-%d" % (i % 50), "cloneUrl": "https://git.example.org/bench/app.git",
                           "ref": "refs/heads/main", "sha": sha, "message": "bench %d" % i,
                           "author": {"name": "Bench", "email": "bench@example.org"}}, separators=(",", ":"))
        sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        out.write("bodies[%d] = %s\nsignatures[%d] = %s\n" % (i + 1, json.dumps(body), i + 1, json.dumps(sig)))
PY

cat >"$WORK/bench.lua" <<LUA
dofile("$WORK/requests.lua")
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
function delay() return $((CONNECTIONS * 1000 / RATE)) end
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

URL="http://127.0.0.1:$TRIGGER_PORT"
echo "warm-up (10 s)"; OFFSET=$((RATE * (DURATION + 5))) SINGLE=0 wrk -t2 -c$CONNECTIONS -d10s -s "$WORK/bench.lua" "$URL" >/dev/null
echo "== distinct pushes, target ~$RATE req/s, ${DURATION}s, $CONNECTIONS connections (each accepted push is written to Kafka, acks=all)"
SINGLE=0 wrk -t2 -c$CONNECTIONS -d"${DURATION}s" -s "$WORK/bench.lua" "$URL" | grep -E "^(requests|rate):"
echo "== one push redelivered, target ~$RATE req/s, ${DURATION}s (answered 'duplicate' from the ledger)"
SINGLE=1 wrk -t2 -c$CONNECTIONS -d"${DURATION}s" -s "$WORK/bench.lua" "$URL" | grep -E "^(requests|rate):"
curl -s -H "Authorization: Bearer $MANAGEMENT_TOKEN" "$URL/prometheus" | grep -E '^slipway_trigger_(webhooks_answered|runs)_total' || true
