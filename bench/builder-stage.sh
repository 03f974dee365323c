#!/usr/bin/env bash
# Benchmark: builder-service's build stage on the real Docker engine and a local registry — a cold build, rebuilds
# of an unchanged commit (cache hits) and a new commit whose layers are all cached. Prints a table and updates the
# builder-service section of docs/benchmarks.md.
# Usage: bench/builder-stage.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# package, not install: the benchmark runs on the classpath this reactor resolved (the modules' own jars), and the
# shared local Maven repository is left as it was.
./mvnw -q -B -pl builder-service -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
java -cp "builder-service/target/test-classes:builder-service/target/classes:$(cat builder-service/target/bench.classpath)" \
  io.slipway.builder.BuildStageBenchmark "$ROOT/docs/benchmarks.md"
