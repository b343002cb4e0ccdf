# Sourced by ./jrnn and bench/run: find_java prints the path of a java of feature version 25 or later, looking
# at JAVA_HOME, java on the PATH, then the usual installation folders; it fails (status 1) when there is none.

java_major() { "$1" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/'; }

find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for dir in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$dir/bin/java" ] && candidates+=("$dir/bin/java")
  done
  for java in "${candidates[@]}"; do
    local v
    v="$(java_major "$java" 2>/dev/null || true)"
    if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 25 ]; then
      echo "$java"
      return 0
    fi
  done
  return 1
}

no_java_message() {
  echo "$1: no JDK 25 or later found (looked at JAVA_HOME, java on the PATH, /usr/lib/jvm, SDKMAN);" \
       "install one (e.g. Temurin 25) or set JAVA_HOME to it"
}
