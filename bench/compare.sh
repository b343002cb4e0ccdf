#!/usr/bin/env bash
# jrnn against PyTorch (libtorch 2.7.1 through DJL 0.35.1) and ONNX Runtime 1.29 in one invocation, at 1 and 2
# threads, LSTM and GRU: JMH JSON in bench/results/compare/, then a
# Markdown table (compare.md) and a chart (compare.png).
#   bench/compare.sh -wi 2 -i 3                 every size, 2 warm-up and 3 measured iterations (about 50 minutes)
#   bench/compare.sh -p hidden=64,256 -p batch=1   extra JMH options, e.g. fewer sizes
# Run it on an otherwise idle machine; builds bench/target/benchmarks.jar with -Ppeers first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/tools/find-java25.sh"
. "$root/bench/peers-jar.sh"
peers_java bench/compare.sh
out=bench/results/compare
mkdir -p "$out" bench/target/djl-cache
export DJL_OFFLINE=true OMP_NUM_THREADS=1
vector=(--add-modules jdk.incubator.vector)
for t in 1 2; do
  "$java" -jar bench/target/benchmarks.jar '(Lstm|Gru)StepBenchmark|(Lstm|Gru)SequenceBenchmark\.(infer|forwardBackward)$' -p backend=simd \
      -jvmArgsAppend "${vector[*]} -Djrnn.threads=$t" -rf json -rff "$out/jrnn-t$t.json" "$@" | tee "$out/jrnn-t$t.txt"
  OMP_NUM_THREADS=$t "$java" -jar bench/target/benchmarks.jar '(PyTorch|OnnxRuntime)(Lstm|Gru)Benchmark' \
      -p threads=$t -rf json -rff "$out/peers-t$t.json" "$@" | tee "$out/peers-t$t.txt"
done
"$java" -cp bench/target/benchmarks.jar org.jrnn.bench.CompareReport "$out/compare.md" "$out/compare.png" \
    "$out"/jrnn-t1.json "$out"/jrnn-t2.json "$out"/peers-t1.json "$out"/peers-t2.json
cat "$out/compare.md"
