#!/usr/bin/env bash
# Benchmark: deliverer-service promotion (copy, three tags, read-back) between two real docker-registry instances
# on loopback: cold, after a rebuild whose layers the release repository already has, and for a digest it already
# has. Reports time and bytes uploaded; needs docker-registry and apache2-utils (htpasswd).
# Usage: bench/promotion.sh [LAYERS=3] [MIB_PER_LAYER=16] [REPETITIONS=5]     (offline: MAVEN_ARGS=-o bench/promotion.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl deliverer-service -am install -DskipTests
./mvnw -q -B -pl deliverer-service org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.slipway.deliverer.bench.PromotionBenchmark -Dexec.args="${1:-3} ${2:-16} ${3:-5}"
