#!/usr/bin/env bash
# Benchmark: deliverer-service promotion (copy, three tags, read-back) between two real docker-registry instances
# on loopback: cold, after a rebuild whose layers the release repository already has, and for a digest it already
# has. Reports time and bytes uploaded; needs docker-registry and apache2-utils (htpasswd).
# Usage: bench/promotion.sh [LAYERS=3] [MIB_PER_LAYER=16] [REPETITIONS=5]     (offline: MAVEN_ARGS=-o bench/promotion.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# package, not install: the benchmark runs on the classpath this reactor resolved (the modules' own jars), and the
# shared local Maven repository is left as it was.
./mvnw -q -B -pl deliverer-service -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
java -cp "deliverer-service/target/test-classes:deliverer-service/target/classes:$(cat deliverer-service/target/bench.classpath)" \
  io.slipway.deliverer.bench.PromotionBenchmark "${1:-3}" "${2:-16}" "${3:-5}"
