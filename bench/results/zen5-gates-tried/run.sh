#!/bin/bash
# A/B of a gate step tried and not kept: old = main at 4ef4d31; new = lstmForward with sigma(x) = (1 + tanh(x/2))/2
# and tanh by the rational form (clamped by compare and blend), whole-vector loops (hidden a multiple of 16 only:
# a prototype). bench/target/benchmarks.jar of each; two rounds.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
out="$(dirname "$0")"
for round in 1 2; do
 for v in old new; do
  $J -jar /tmp/$v-bench.jar 'LstmStepBenchmark' -p backend=simd -p batch=64 -p hidden=128,256,512 -wi 3 -i 5 -w 1 -r 1 -rf json -rff $out/$v-step-$round.json > $out/$v-step-$round.txt 2>&1
  $J -jar /tmp/$v-bench.jar 'LstmSequenceBenchmark.forward$' -p backend=simd -p batch=64 -p hidden=128,256 -wi 2 -i 3 -w 1 -r 2 -rf json -rff $out/$v-fwd-$round.json > $out/$v-fwd-$round.txt 2>&1
 done
done
