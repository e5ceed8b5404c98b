# Shared by jenkins-from-source/build and the scripts that use its local Maven repository (bin/test, .ci/run).
# shellcheck shell=bash

JFS_T0=${JFS_T0:-$(date +%s)}
JFS_HOME=${K8SPD_CACHE:-$HOME/.cache/k8s-progressive-delivery}/jenkins
JFS_M2=${K8SPD_JENKINS_M2:-$JFS_HOME/m2}
JFS_SRC=$JFS_HOME/src
JFS_LOGS=$JFS_HOME/logs
JFS_TOOLS=$JFS_HOME/tools
JFS_MAVEN_VERSION=3.9.11
JFS_YARN_VERSION=4.12.0

# Checks and reports that the upstream builds do not need here: tests are skipped (their test-only
# dependencies are not all built), so are signing, static analysis, formatting and licence checks.
JFS_SKIPS=(-Dinvoker.skip -Denforcer.skip -Dspotbugs.skip -Dspotless.check.skip=true -Dspotless.apply.skip=true
  -Dmaven.javadoc.skip -Dgpg.skip -Dlicense.skip -Dlicense.disableCheck -Dcheckstyle.skip -Djacoco.skip
  -Daccess-modifier-checker.skip -Dmdep.analyze.skip -Dmaven.site.skip -Dmaven.source.skip)

progress() { printf '[jenkins-from-source %4ss] %s\n' "$(( $(date +%s) - JFS_T0 ))" "$*" >&2; }

gav_path() { # group:artifact:version -> folder in the local repository
  local g a v; IFS=: read -r g a v <<<"$1"
  printf '%s/%s/%s/%s\n' "$JFS_M2" "${g//.//}" "$a" "$v"
}

gav_installed() { # group:artifact:version: its POM is in the local repository and it is not a stub
  local g a v; IFS=: read -r g a v <<<"$1"
  [ -f "$(gav_path "$1")/$a-$v.pom" ] && ! grep -qxF "$g:$a:$v" "$JFS_M2/.stubs" 2>/dev/null
}

# A unit is built when its whole build ended well (a failed multi-module build may have installed some modules).
unit_built() { [ -f "$JFS_M2/.built/$1" ] && gav_installed "$(cat "$JFS_M2/.built/$1")"; }
mark_built() { mkdir -p "$JFS_M2/.built" && printf '%s\n' "$2" >"$JFS_M2/.built/$1"; }

# An empty jar under coordinates that a build only resolves for its skipped tests. Listed in $JFS_M2/.stubs,
# which the final table reports; a real build of the same coordinates replaces the stub (unmark_stub).
install_stub() { # group:artifact:version[:classifier[:type]]
  local g a v c t; IFS=: read -r g a v c t <<<"$1"
  local dir; dir=$(gav_path "$g:$a:$v")
  local file="$dir/$a-$v${c:+-$c}.${t:-jar}"
  [ -f "$file" ] && return 0
  mkdir -p "$dir"
  local tmp; tmp=$(mktemp -d)
  mkdir -p "$tmp/META-INF" && printf 'Manifest-Version: 1.0\nCreated-By: jenkins-from-source (stub)\n' >"$tmp/META-INF/MANIFEST.MF"
  (cd "$tmp" && "$JAVA_HOME/bin/jar" cfm "$file" META-INF/MANIFEST.MF) && rm -rf "$tmp"
  [ -f "$dir/$a-$v.pom" ] || printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version><description>stub: empty, for skipped tests only</description></project>\n' "$g" "$a" "$v" >"$dir/$a-$v.pom"
  grep -qxF "$g:$a:$v" "$JFS_M2/.stubs" 2>/dev/null || echo "$g:$a:$v" >>"$JFS_M2/.stubs"
  echo "stub installed: $1"
}

unmark_stub() { # group:artifact:version: built for real now
  [ -f "$JFS_M2/.stubs" ] || return 0
  grep -vxF "$1" "$JFS_M2/.stubs" >"$JFS_M2/.stubs.tmp" || true
  mv "$JFS_M2/.stubs.tmp" "$JFS_M2/.stubs"
}

stub_count() { if [ -f "$JFS_M2/.stubs" ]; then wc -l <"$JFS_M2/.stubs"; else echo 0; fi; }

last_module() { # the module Maven is building now, from its log
  grep -o 'Building [^ ]* [^ ]*\( \[[0-9]*/[0-9]*\]\)\{0,1\}' "$1" 2>/dev/null | tail -n 1 || true
}

jfs_tools() { # puts Maven 3.9 and a JDK 21+ on PATH; Node and Yarn for core's front end
  . "$(dirname "${BASH_SOURCE[0]}")/../../bin/lib/jdk.sh"
  local mvn_home="$JFS_TOOLS/apache-maven-$JFS_MAVEN_VERSION"
  if [ ! -x "$mvn_home/bin/mvn" ]; then
    command -v mvn >/dev/null || { echo "Maven is needed to fetch Maven $JFS_MAVEN_VERSION (apt-get install maven)" >&2; exit 1; }
    progress "fetching Maven $JFS_MAVEN_VERSION (the Jenkins parent POM refuses older Maven)"
    mkdir -p "$JFS_TOOLS"
    mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.maven:apache-maven:$JFS_MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$JFS_TOOLS" >&2
    tar -xzf "$JFS_TOOLS/apache-maven-$JFS_MAVEN_VERSION-bin.tar.gz" -C "$JFS_TOOLS"
    rm -f "$JFS_TOOLS/apache-maven-$JFS_MAVEN_VERSION-bin.tar.gz"
  fi
  export PATH="$mvn_home/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx2g"
}
