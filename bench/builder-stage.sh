#!/usr/bin/env bash
# Benchmark: builder-service's build stage on the real Docker engine and a local registry — a cold build, rebuilds
# of an unchanged commit (cache hits) and a new commit whose layers are all cached. Prints a table and updates the
# builder-service section of docs/benchmarks.md.
# Usage: bench/builder-stage.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl builder-service -am install -DskipTests
./mvnw -q -B -pl builder-service test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=io.slipway.builder.BuildStageBenchmark -Dexec.classpathScope=test \
  -Dexec.args="$ROOT/docs/benchmarks.md"
