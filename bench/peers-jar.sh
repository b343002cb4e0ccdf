# Sourced by bench/compare.sh and bench/recheck.sh: peers_java SCRIPT sets $java to a JDK 25 (or exits with the
# reason), changes to the repository root and builds bench/target/benchmarks.jar with the peers (-Ppeers) unless
# the jar already holds every class the scripts use and is newer than every source of the modules it holds.
. "$root/tools/stale.sh"
peers_java() {
  if ! java="$(find_java)"; then
    no_java_message "$1" >&2
    exit 1
  fi
  cd "$root"
  local listing
  listing="$(unzip -l bench/target/benchmarks.jar 2>/dev/null || true)"
  if ! grep 'org/jrnn/bench/OnnxRuntimeGruBenchmark.class' <<<"$listing" >/dev/null \
      || ! grep 'org/jrnn/bench/RecheckReport.class' <<<"$listing" >/dev/null \
      || stale bench/target/benchmarks.jar; then
    echo "$1: building bench/target/benchmarks.jar with the peers (-Ppeers)" >&2
    mvn -B -q -Ppeers package -DskipTests -pl bench -am
  fi
}
