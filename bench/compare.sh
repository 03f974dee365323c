#!/usr/bin/env bash
# Benchmark: the orchestration of this working tree against an older commit, run after run, to tell a change from the
# machine's noise. On a shared 2-core machine one pipeline.sh run's latencies swing by several times from run to run
# (docs/benchmarks.md), more than most changes move them; runs of the two taken in turn see the same noise.
# Builds BASE (a commit, a tag, a branch) in a temporary git worktree, builds this tree, then runs bench/pipeline.sh
# ROUNDS times on each, alternating which goes first each round, and prints each figure of every run with the two
# medians and their ratio (this tree ÷ BASE). The idle stack is not compared: each run measures it for 5 s only,
# from 5 s after start-up (set BENCH_IDLE_SETTLE and BENCH_IDLE_SECONDS to change that); every other BENCH_* setting
# of pipeline.sh applies to both sides alike, where BASE's pipeline.sh has it: a BASE before adc1d59 always warms up
# with 300 runs, so set BENCH_WARMUP_RUNS=300 to compare like with like. With so short a settle, each run's CPU per
# pipeline also holds what the JIT still compiles of start-up, on both sides alike.
# Usage: bench/compare.sh [--rounds N] [--keep DIR] BASE [RATE=20] [LATENCY_RUNS=300] [THROUGHPUT_RUNS=2000]
#   --rounds N  runs of each side (default 2)
#   --keep DIR  keeps every run's report in DIR (base-1.md, tree-1.md, …), once all have run
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=2
KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: bench/compare.sh [--rounds N] [--keep DIR] BASE [RATE] [LATENCY_RUNS] [THROUGHPUT_RUNS]" >&2; exit 2; }
BASE="$1"
RATE="${2:-20}"
LATENCY_RUNS="${3:-300}"
THROUGHPUT_RUNS="${4:-2000}"
COMMIT="$(git -C "$ROOT" rev-parse --verify "$BASE^{commit}")"
WORK="$(mktemp -d)"
cleanup() {
  git -C "$ROOT" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  git -C "$ROOT" worktree prune
}
trap cleanup EXIT
export BENCH_IDLE_SETTLE="${BENCH_IDLE_SETTLE:-5}" BENCH_IDLE_SECONDS="${BENCH_IDLE_SECONDS:-5}"

# `package`, not `install`: neither build may replace the other's modules in the local Maven repository.
echo "building $BASE (${COMMIT:0:12}) and this tree …" >&2
git -C "$ROOT" worktree add --detach "$WORK/base" "$COMMIT" >/dev/null
TREE="$(git -C "$ROOT" rev-parse --short=12 HEAD)"
[ -z "$(git -C "$ROOT" status --porcelain)" ] || TREE="$TREE with uncommitted changes"
(cd "$WORK/base" && ./mvnw -q -B -DskipTests package)
(cd "$ROOT" && ./mvnw -q -B -DskipTests package)

run() { # side dir round
  echo "[compare] round $3: $1 $(date +%T)" >&2
  (cd "$2" && bench/pipeline.sh "$RATE" "$LATENCY_RUNS" "$THROUGHPUT_RUNS") >"$WORK/$1-$3.out" 2>"$WORK/$1-$3.err" \
    || { cat "$WORK/$1-$3.err" >&2; exit 1; }
}
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then run base "$WORK/base" "$round"; run tree "$ROOT" "$round"
  else run tree "$ROOT" "$round"; run base "$WORK/base" "$round"; fi
done
if [ -n "$KEEP" ]; then
  mkdir -p "$KEEP"
  for round in $(seq 1 "$ROUNDS"); do
    cp "$WORK/base-$round.out" "$KEEP/base-$round.md"
    cp "$WORK/tree-$round.out" "$KEEP/tree-$round.md"
  done
fi

python3 - "$WORK" "$ROUNDS" "$BASE" "bench/compare.sh --rounds $ROUNDS $BASE $RATE $LATENCY_RUNS $THROUGHPUT_RUNS" \
  "$TREE" <<'PY'
import re, statistics, sys
work, rounds, base, command, tree = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def figures(path):
    text = open(path).read()
    found = {}
    def take(name, pattern):
        m = re.search(pattern, text)
        if m:
            found[name] = float(m.group(1).replace(",", ""))
    take("Kafka's EndToEndLatency avg (ms)", r"Kafka's own latency[^\n]*?avg ([\d.]+) ms")
    take("Kafka's exactly-once hop p50 (ms)", r"Kafka's exactly-once hop on the same broker[^\n]*?p50 ([\d.]+) ms")
    for topic in re.findall(r"^\| `([\w.]+)` \|", text, re.M):
        take("hop p50 %s (ms)" % topic, r"\| `%s` \|[^|]*\|[^|]*\| ([\d.]+) ms" % re.escape(topic))
    take("no-op pipeline p50 (ms)", r"\| \*\*end to end\*\* \| ([\d.]+) ms")
    take("no-op pipeline p99 (ms)", r"\| \*\*end to end\*\* \|[^|]*\| ([\d.]+) ms")
    for span in ("webhook sent → CommitReceived", "ArtifactPublished → notified"):
        take("%s p50 (ms)" % span, r"\| %s \| ([\d.]+) ms" % re.escape(span))
    take("pipelines/minute", r"\*\*([\d,]+) pipelines/minute\*\*")
    take("webhooks/s accepted", r"\(([\d.]+) webhooks/s accepted\)")
    take("CPU per pipeline (ms)", r"\| \*\*total\*\* \| \*\*[\d.]+ s\*\* \| \*\*([\d.]+) ms\*\* \|")
    return found

runs = {side: [figures("%s/%s-%d.out" % (work, side, r)) for r in range(1, rounds + 1)] for side in ("base", "tree")}
names = []
for run in runs["base"] + runs["tree"]:
    names += [n for n in run if n not in names]
print("Compared by `%s` (this tree: %s): %d runs of each, taken in turn; each figure as pipeline.sh reports it, then"
      " the medians and this tree's median ÷ %s's." % (command, tree, rounds, base))
print()
print("| figure | %s | this tree | median %s | median this tree | ratio |" % (base, base))
print("|---|---|---|---|---|---|")
for name in names:
    cells, medians = [], []
    for side in ("base", "tree"):
        values = [run[name] for run in runs[side] if name in run]
        cells.append(", ".join("%g" % v for v in values) or "—")
        medians.append(statistics.median(values) if values else None)
    ratio = "%.2f" % (medians[1] / medians[0]) if medians[0] and medians[1] is not None else "—"
    print("| %s | %s | %s | %s | %s | %s |" % (name, cells[0], cells[1],
          "%g" % medians[0] if medians[0] is not None else "—",
          "%g" % medians[1] if medians[1] is not None else "—", ratio))
PY
