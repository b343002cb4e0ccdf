# Sourced by ./jrnn, bench/run and bench/peers-jar.sh: stale JAR succeeds when JAR is missing or older than a Java
# source, a POM or a main resource text of the repository ($root), so that nothing runs code older than the tree.
stale() {
  [ ! -f "$1" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' \
      -o -name '*.txt' -path '*/src/main/*' \) -newer "$1" -print -quit 2>/dev/null)" ]
}
