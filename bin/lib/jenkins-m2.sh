# Sourced by bin/test, bin/demo and .ci/run: finds the local Maven repository that jenkins-from-source/build fills
# with Jenkins, its plugins and the plugin tooling built from source, so that the root pom.xml (the real build) can
# run here. Sets JENKINS_M2 and puts Maven 3.9 on PATH when one is usable; otherwise JENKINS_M2_MISSING says why.
#
# Looked for, in order: $K8SPD_JENKINS_M2; the cache (~/.cache/k8s-progressive-delivery/jenkins/m2, or under
# $K8SPD_CACHE); ../shared/jenkins-m2 beside the repository, copied into the cache the first time (builds write
# into their repository, and that one may be shared or read-only). K8SPD_OFFLINE_ONLY=1 skips the search.
# shellcheck shell=bash

_jm2_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$_jm2_root/jenkins-from-source/lib/common.sh"

# The artifacts the root pom.xml needs first: its parent, its BOM and Jenkins core at the version it names.
jenkins_m2_usable() { # folder
  local pom="$_jm2_root/pom.xml" parent bom core
  parent=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -n 1)
  bom=$(sed -n '/<artifactId>bom-/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -n 1)
  core=$(sed -n 's:.*<jenkins.baseline>\(.*\)</jenkins.baseline>.*:\1:p' "$pom" | head -n 1)
  core="$core$(sed -n 's:.*<jenkins.version>${jenkins.baseline}\(.*\)</jenkins.version>.*:\1:p' "$pom" | head -n 1)"
  [ -f "$1/org/jenkins-ci/plugins/plugin/$parent/plugin-$parent.pom" ] \
    && [ -n "$(ls "$1"/io/jenkins/tools/bom/bom-*/"$bom"/*.pom 2>/dev/null)" ] \
    && [ -f "$1/org/jenkins-ci/main/jenkins-core/$core/jenkins-core-$core.jar" ]
}

jenkins_m2_find() {
  JENKINS_M2="" JENKINS_M2_MISSING=""
  if [ "${K8SPD_OFFLINE_ONLY:-0}" = 1 ]; then
    JENKINS_M2_MISSING="K8SPD_OFFLINE_ONLY=1"
    return 1
  fi
  local cache="$JFS_HOME/m2" shared="$_jm2_root/../shared/jenkins-m2"
  if [ -n "${K8SPD_JENKINS_M2:-}" ]; then
    if jenkins_m2_usable "$K8SPD_JENKINS_M2"; then JENKINS_M2=$K8SPD_JENKINS_M2; else
      JENKINS_M2_MISSING="K8SPD_JENKINS_M2=$K8SPD_JENKINS_M2 lacks what pom.xml needs"; return 1; fi
  elif jenkins_m2_usable "$cache"; then
    JENKINS_M2=$cache
  elif [ -d "$shared" ] && jenkins_m2_usable "$shared"; then
    progress "copying $shared into $cache (once; $(du -sh "$shared" | cut -f1))"
    mkdir -p "$cache" && cp -a "$shared/." "$cache/"
    JENKINS_M2=$cache
  else
    JENKINS_M2_MISSING="no repository of Jenkins built from source at $cache or $shared"
    return 1
  fi
  JFS_M2=$JENKINS_M2
  jfs_tools # Maven 3.9 (the Jenkins parent POM refuses older) and a JDK 21+
  export JENKINS_M2
}

# Maven on the root pom.xml against that repository. The Jenkins Maven repository the POM names is unreachable here,
# and everything it would serve is in JENKINS_M2.
jenkins_mvn() {
  mvn -B -ntp -Dmaven.repo.local="$JENKINS_M2" "$@"
}
