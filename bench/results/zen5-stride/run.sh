#!/bin/bash
# A/B of the 4x4 kernel with the panel stride as a parameter (old: main at 4b2c116) and as the constant NR (new):
# each jar is bench/target/benchmarks.jar built from that commit; two alternating rounds; summary.txt is the mean
# GFLOP/s of each round per cell.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for round in 1 2; do
 for v in old new; do
  $J -jar /tmp/$v-bench.jar 'GemmBenchmark|PeakBenchmark' -p bits=512 -p kernel=packed -p hidden=128,512,1024 -p shape=recurrent,projection,backwardData,weightGradient,weightGradientPass -wi 1 -i 3 -w 1 -r 1 -rf json -rff /tmp/ab/$v-packed-$round.json > /tmp/ab/$v-packed-$round.txt 2>&1
  $J -jar /tmp/$v-bench.jar 'GemmBenchmark' -p kernel=plain -p hidden=128,512 -p shape=backwardData,weightGradient -wi 1 -i 3 -w 1 -r 1 -rf json -rff /tmp/ab/$v-plain-$round.json > /tmp/ab/$v-plain-$round.txt 2>&1
 done
done
echo done
