#!/bin/bash
# A/B of the weight gradients' row copy: old = main at 3533438, new = with the copy of A's rows
# (bench/target/benchmarks.jar of each); two alternating rounds; summary.txt: GFLOP/s of the products, us per
# forward + backward pass (T = 100) of the layers, each round.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
out="$(dirname "$0")"
for round in 1 2; do
 for v in old new; do
  $J -jar /tmp/$v-bench.jar 'GemmBenchmark|PeakBenchmark' -p bits=512 -p kernel=packed -p hidden=128,256,512,1024 -p shape=weightGradient,weightGradientPass -wi 1 -i 3 -w 1 -r 1 -rf json -rff $out/$v-gemm-$round.json > $out/$v-gemm-$round.txt 2>&1
  $J -jar /tmp/$v-bench.jar 'LstmSequenceBenchmark.forwardBackward$|GruSequenceBenchmark.forwardBackward$' -p backend=simd -p batch=64 -p hidden=256,512,1024 -f 1 -wi 2 -i 3 -w 1 -r 2 -rf json -rff $out/$v-train-$round.json > $out/$v-train-$round.txt 2>&1
 done
done
echo done
