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

gav_installed() { # group:artifact:version: its POM is in the local repository
  local g a v; IFS=: read -r g a v <<<"$1"
  [ -f "$(gav_path "$1")/$a-$v.pom" ]
}

# A unit is built when its whole build ended well (a failed multi-module build may have installed some modules).
unit_built() { [ -f "$JFS_M2/.built/$1" ] && gav_installed "$(cat "$JFS_M2/.built/$1")"; }
mark_built() { mkdir -p "$JFS_M2/.built" && printf '%s\n' "$2" >"$JFS_M2/.built/$1"; }

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
    # from a folder without a pom.xml: Maven would read the project's (whose parent it cannot resolve yet)
    (cd "$JFS_TOOLS" && mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.maven:apache-maven:$JFS_MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$JFS_TOOLS" >&2)
    tar -xzf "$JFS_TOOLS/apache-maven-$JFS_MAVEN_VERSION-bin.tar.gz" -C "$JFS_TOOLS"
    rm -f "$JFS_TOOLS/apache-maven-$JFS_MAVEN_VERSION-bin.tar.gz"
  fi
  export PATH="$mvn_home/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx2g"
}
