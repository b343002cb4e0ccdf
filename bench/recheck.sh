#!/usr/bin/env bash
# Settles close cells of the comparison (bench/compare.sh): measures the named cells in interleaved rounds, jrnn and
# the peers one after the other for each cell, the order alternating from round to round, so that the machine's
# drift falls on both sides of each ratio. Writes bench/results/recheck/recheck.md: each round's µs per time step
# and ratio, and the median and lowest ratio per cell.
#   bench/recheck.sh forward:64:128 forwardBackward:64:1024          3 rounds of two single-thread cells
#   bench/recheck.sh -r 5 -o DIR step:1:256:2 gruForward:1:1024 -- -wi 3 -i 5
# A cell is workload:batch:hidden[:threads]; workloads: step, forward, forwardBackward, gruStep, gruForward,
# gruForwardBackward. Options after -- go to every JMH run (default: -wi 2 -i 3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/tools/find-java25.sh"
. "$root/bench/peers-jar.sh"
usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
rounds=3
out=bench/results/recheck
cells=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) [ $# -ge 2 ] || usage; rounds="$2"; shift 2 ;;
    -o) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) cells+=("$1"); shift ;;
  esac
done
jmh=("$@")
[ ${#jmh[@]} -gt 0 ] || jmh=(-wi 2 -i 3)
[ ${#cells[@]} -gt 0 ] || usage
case "$rounds" in ''|*[!0-9]*|0) echo "bench/recheck.sh: -r expects a number of rounds >= 1, found '$rounds'" >&2; exit 2 ;; esac

# workload -> jrnn's benchmark and the peers' (regular expressions for JMH)
patterns() {
  case "$1" in
    step) jrnn='LstmStepBenchmark\.step$'; peers='PyTorchLstmBenchmark\.step(Layer|Cell)$|OnnxRuntimeLstmBenchmark\.step$' ;;
    forward) jrnn='LstmSequenceBenchmark\.infer$'; peers='(PyTorch|OnnxRuntime)LstmBenchmark\.forward$' ;;
    forwardBackward) jrnn='LstmSequenceBenchmark\.forwardBackward$'; peers='PyTorchLstmBenchmark\.forwardBackward$' ;;
    gruStep) jrnn='GruStepBenchmark\.step$'; peers='PyTorchGruBenchmark\.step(Layer|Cell)$|OnnxRuntimeGruBenchmark\.step$' ;;
    gruForward) jrnn='GruSequenceBenchmark\.infer$'; peers='(PyTorch|OnnxRuntime)GruBenchmark\.forward$' ;;
    gruForwardBackward) jrnn='GruSequenceBenchmark\.forwardBackward$'; peers='PyTorchGruBenchmark\.forwardBackward$' ;;
    *) echo "bench/recheck.sh: unknown workload '$1' (expected step, forward, forwardBackward, gruStep, gruForward or gruForwardBackward)" >&2; exit 2 ;;
  esac
}
for cell in "${cells[@]}"; do
  IFS=: read -r workload batch hidden threads <<<"$cell"
  patterns "$workload"
  for v in "$batch" "$hidden" "${threads:-1}"; do
    case "$v" in ''|*[!0-9]*) echo "bench/recheck.sh: expected workload:batch:hidden[:threads], found '$cell'" >&2; exit 2 ;; esac
  done
done

peers_java bench/recheck.sh
mkdir -p "$out" bench/target/djl-cache
rm -f "$out"/r*-*.json
export DJL_OFFLINE=true
vector=(--add-modules jdk.incubator.vector)
run_jrnn() {
  OMP_NUM_THREADS=1 "$java" -jar bench/target/benchmarks.jar "$jrnn" -p backend=simd -p batch="$batch" -p hidden="$hidden" \
      -jvmArgsAppend "${vector[*]} -Djrnn.threads=$t" -rf json -rff "$out/r$r-$name-jrnn-t$t.json" "${jmh[@]}" \
      >>"$out/recheck.txt"
}
run_peers() {
  OMP_NUM_THREADS=$t "$java" -jar bench/target/benchmarks.jar "$peers" -p batch="$batch" -p hidden="$hidden" \
      -p threads="$t" -rf json -rff "$out/r$r-$name-peers.json" "${jmh[@]}" >>"$out/recheck.txt"
}
: >"$out/recheck.txt"
for r in $(seq 1 "$rounds"); do
  for cell in "${cells[@]}"; do
    IFS=: read -r workload batch hidden threads <<<"$cell"
    t="${threads:-1}"
    patterns "$workload"
    name="$workload-b$batch-h$hidden-t$t"
    echo "bench/recheck.sh: round $r of $rounds, $cell" >&2
    if [ $((r % 2)) -eq 1 ]; then run_jrnn; run_peers; else run_peers; run_jrnn; fi
  done
done
"$java" -cp bench/target/benchmarks.jar org.jrnn.bench.RecheckReport "$out/recheck.md" "$out"/r*-*.json
cat "$out/recheck.md"
