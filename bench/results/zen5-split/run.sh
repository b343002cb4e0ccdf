#!/bin/bash
# A/B of the row split's weight limit in training: old = main at 4ef4d31 (training passes always split by rows),
# new = the limit (2^22 weights) for every pass; bench/target/benchmarks.jar of each; two threads; two rounds.
# summary.txt: us per time step in each round (H = 512 is under the limit: the same code in both jars).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
out="$(dirname "$0")"
for round in 1 2; do
 for v in old new; do
  $J -jar /tmp/$v-bench.jar '(Lstm|Gru)SequenceBenchmark.forward(Backward)?$' -p backend=simd -p batch=64 -p hidden=512,1024 -jvmArgsAppend "--add-modules jdk.incubator.vector -Djrnn.threads=2" -wi 2 -i 3 -w 2 -r 3 -rf json -rff $out/$v-$round.json > $out/$v-$round.txt 2>&1
 done
done
echo done
