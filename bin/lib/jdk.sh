# Sourced by bin/* and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Jenkins 2.555 needs Java 21+; the machine's default JDK may be older, with a newer one beside it.

jdk_feature() { # prints the feature release of the JDK at $1 (17, 21, 25), or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

find_jdk21() {
  local candidate v best="" best_v=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    v=$(jdk_feature "$candidate")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

if ! JAVA_HOME=$(find_jdk21); then
  echo "No JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Jenkins 2.555 needs Java 21+:" >&2
  echo "install one (for example a Temurin 21 or 25 JDK) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava touches sun.misc.Unsafe, which JDK 24+ warns about on every run.
if [ "$(jdk_feature "$JAVA_HOME")" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
