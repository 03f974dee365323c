#!/usr/bin/env bash
# Benchmark: dashboard-service's pages over a large history. Fills a new database with RUNS runs of 50 repositories
# through the projection's own write path (in polls of 500 records), starts dashboard-service as a process on it and
# times GET /runs (newest, filtered, a cursor 10,000 runs deep), the run page and /metrics, REQUESTS each after WARMUP.
# Usage: bench/dashboard.sh [--write] [--postgres] [RUNS=100000] [REQUESTS=500] [WARMUP=200]
#   --write     also puts the figures into docs/benchmarks.md (between the dashboard-bench markers, or
#               dashboard-bench-postgres with --postgres)
#   --postgres  a throwaway PostgreSQL 15 cluster (Debian's postgresql) instead of the embedded H2 file
# (offline: MAVEN_ARGS=-o bench/dashboard.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WRITE=0 DATABASE=h2 SECTION=dashboard-bench FLAGS=""
while [ "${1:-}" = "--write" ] || [ "${1:-}" = "--postgres" ]; do
  if [ "$1" = "--write" ]; then WRITE=1; else DATABASE=postgres SECTION=dashboard-bench-postgres FLAGS="--postgres "; fi
  shift
done
RUNS="${1:-100000}" REQUESTS="${2:-500}" WARMUP="${3:-200}"
REPORT="$(mktemp)"
trap 'rm -f "$REPORT"' EXIT
# package, not install: the benchmark runs on the classpath this reactor resolved (the modules' own jars), and the
# shared local Maven repository is left as it was.
./mvnw -q -B -pl dashboard-service -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
java -cp "dashboard-service/target/test-classes:dashboard-service/target/classes:$(cat dashboard-service/target/bench.classpath)" \
  io.slipway.dashboard.bench.DashboardBenchmark "$RUNS" "$REQUESTS" "$WARMUP" "$DATABASE" "$REPORT" \
  "bench/dashboard.sh $FLAGS$RUNS $REQUESTS $WARMUP"
if [ "$WRITE" = 1 ]; then
  "$ROOT/bench/write-section.py" "$SECTION" "$ROOT/docs/benchmarks.md" "$REPORT"
fi
