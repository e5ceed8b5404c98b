# Every change jenkins-from-source/build makes to an upstream source, one function each, run in the checkout's
# top folder. Each says why the build cannot work without it. versions names them (patch=NAME).
# shellcheck shell=bash

pompatch() { python3 "$(dirname "${BASH_SOURCE[0]}")/pompatch.py" "$@"; }

# jexl 1.1-jenkins-20111212 and tiger-types 2.2 ask for Java 1.2 and 1.5 source levels, which no JDK 21+ compiles;
# 8 is the lowest JDK 25 accepts. The class files are used by Jenkins unchanged otherwise.
patch_source_level_8() {
  sed -i -E 's#<(source|target)>1\.[0-9]</(source|target)>#<\1>8</\2>#g' pom.xml
  grep -q '<source>8</source>' pom.xml
}

# stapler-adjunct-codemirror 1.3 (2014) depends on stapler 1.140; core 2.555.3 uses it with stapler 2076. Its
# JavaScript needs nothing of stapler's, and Maven would have to read stapler 1.140's POM to settle the conflict.
patch_codemirror_stapler_2076() {
  pompatch set-dep-version pom.xml stapler 2076.v1b_a_c12445eb_e
}

# maven-hpi-plugin 3.1814 (what plugin-pom 6.2211 uses) compiles against stapler-groovy 2061; core 2.555.3 uses
# 2076, which we build. Building 2061 as well would pull in a chain of older test-only artifacts (htmlunit 226,
# version-number 1.12, test-annotations 1.4, ...). The plugin only reads Jelly and Groovy views through it.
patch_hpi_plugin_libraries() {
  pompatch set-dep-version pom.xml stapler-groovy 2076.v1b_a_c12445eb_e
}

# Core's root POM also builds the `test` module (core's own functional tests, which need maven-hpi-plugin as a
# build extension and the test harness) and `coverage`; neither is installed or needed by plugins.
patch_core_modules() {
  sed -i -E '/<module>(test|coverage)<\/module>/d' pom.xml
  ! grep -qE '<module>(test|coverage)</module>' pom.xml
}

# core/pom.xml copies the Windows service wrapper (winsw, a .NET executable from the Jenkins repository) into the
# jar for "Install as Windows service". It cannot be built here; that menu entry does not work in this build.
patch_core_no_winsw() {
  python3 - <<'PY'
import re
p = "core/pom.xml"
s = open(p).read()
s2 = re.sub(r"\s*<execution>\s*<id>winsw</id>.*?</execution>", "", s, count=1, flags=re.S)
assert s2 != s, "winsw execution not found"
open(p, "w").write(s2)
PY
}

# war/pom.xml bundles the detached plugins (mailer, matrix-auth, junit, ...) as .hpi files. Jenkins runs without
# them (a new install only offers them); plugins built against 2.555 imply none of them.
patch_war_no_detached_plugins() {
  python3 - <<'PY'
import re
p = "war/pom.xml"
s = open(p).read()
s2 = re.sub(r"\s*<execution>\s*<id>detached-plugins</id>.*?</execution>", "", s, count=1, flags=re.S)
assert s2 != s, "detached-plugins execution not found"
open(p, "w").write(s2)
PY
}

# Tests are not run in these builds, but Maven still resolves test-scoped dependencies (surefire asks for them
# even when skipped), and many are old or unrelated plugins. They are dropped from every POM of the checkout.
patch_no_test_dependencies() {
  find . -name pom.xml -not -path './.git/*' -exec python3 "$(dirname "${BASH_SOURCE[0]}")/pompatch.py" strip-test-deps {} +
}

# The test harness compiles against io.jenkins.test.fips:fips-bundle-test, of which no public snapshot exists, for
# RealJenkinsRule.withFIPSEnabled (starting Jenkins in FIPS mode). Those methods are removed; nothing else uses it.
patch_harness_no_fips() {
  pompatch drop-dep pom.xml io.jenkins.test.fips fips-bundle-test
  python3 - <<'PY'
import re
for p in ["src/main/java/org/jvnet/hudson/test/RealJenkinsRule.java",
          "src/main/java/org/jvnet/hudson/test/fixtures/RealJenkinsFixture.java",
          "src/main/java/org/jvnet/hudson/test/junit/jupiter/RealJenkinsExtension.java"]:
    s = open(p).read()
    s2 = s.replace("import io.jenkins.test.fips.FIPSTestBundleProvider;\n", "")
    s2 = re.sub(r"\n    /\*\*(?:(?!\*/).)*?\*/\n    public \w+ withFIPSEnabled\([^)]*\) \{.*?\n    \}\n", "\n", s2, flags=re.S)
    assert "FIPS" not in s2.replace("FIPS-", ""), p + ": FIPS code left"
    assert s2 != s
    open(p, "w").write(s2)
PY
}

# The BOM pins four plugins at commits after their snapshots end, or needing one with no snapshot at all:
# jackson2-api 2.21.2-433 needs woodstox-core-api (no snapshot); 2.21.1-428 is the last without it, and the one
# Jenkins 2.555.3's war bundles. snakeyaml-api, metrics and pipeline-stage-step: the newest releases the snapshots
# hold (releases are the versions the BOM's history names).
patch_bom_snapshot_pins() {
  pompatch set-dep-version bom-weekly/pom.xml jackson2-api 2.21.1-428.vf8dd988fa_d8d
  pompatch set-dep-version bom-weekly/pom.xml snakeyaml-api 2.5-143.v93b_c004f89de
  pompatch set-dep-version bom-weekly/pom.xml metrics 4.2.37-489.vb_6db_69b_ce753
  pompatch set-dep-version bom-weekly/pom.xml pipeline-stage-step 322.vecffa_99f371c
}

# Every plugin is built with one parent POM and one BOM (those built above), against Jenkins 2.555.3, instead of the
# many parent, BOM and core versions their commits name (each would need its own tool chain built). The core version
# is written into the POM rather than given on the command line so that the installed POM says what it was built
# against (a POM read as a dependency imports jenkins-bom at its own jenkins.version).
patch_plugin() {
  local pom
  for pom in $(find . -name pom.xml -not -path './.git/*'); do
    local parent; parent=$(sed -n '/<parent>/,/<\/parent>/p' "$pom")
    if grep -q '<artifactId>plugin</artifactId>' <<<"$parent"; then
      pompatch set-parent "$pom" org.jenkins-ci.plugins plugin "$JFS_PLUGIN_POM_VERSION"
    elif grep -q '<artifactId>analysis-pom</artifactId>' <<<"$parent"; then # plugins of the warnings-ng family
      pompatch set-parent "$pom" org.jvnet.hudson.plugins analysis-pom "$JFS_ANALYSIS_POM_VERSION"
    fi
    if grep -qE '<artifactId>(plugin|analysis-pom)</artifactId>' <<<"$parent"; then
      pompatch set-property "$pom" jenkins.version "$JFS_JENKINS_VERSION"
      if grep -q '<jenkins.baseline>' "$pom"; then pompatch set-property "$pom" jenkins.baseline "${JFS_JENKINS_VERSION%.*}"; fi
    fi
    if grep -q '<groupId>io.jenkins.tools.bom</groupId>' "$pom"; then
      pompatch set-bom "$pom" bom-2.555.x "$JFS_BOM_VERSION"
    fi
    # A plugin's own pins of other plugins ("until in BOM") would ask for versions not built here.
    pompatch align-to-bom "$pom" "$JFS_M2"/io/jenkins/tools/bom/bom-*/"$JFS_BOM_VERSION"/*.pom
  done
  patch_no_test_dependencies
}

# The harness 2573 uses jenkins-test-harness-htmlunit 231 (HtmlUnit 5.0.0, which Maven Central here does not serve);
# 233, the newest commit of its snapshot, is the same module on HtmlUnit 5.2.0.
patch_harness_htmlunit_233() {
  pompatch set-dep-version pom.xml jenkins-test-harness-htmlunit 233.v915dc551570b
}

# The BOM's sample-plugin module (a test of the BOM itself) has a parent POM version we do not build, and its root
# POM's Spotless formatting check loads its rules from io.jenkins.lib:shared-resources, of which no public snapshot
# exists; the check is skipped in these builds anyway, so that <plugin> block goes.
patch_bom_no_sample_plugin() {
  sed -i '/<module>sample-plugin<\/module>/d' pom.xml
  ! grep -q '<module>sample-plugin</module>' pom.xml
  python3 - <<'PY'
import re
s = open("pom.xml").read()
s2 = re.sub(r"\s*<plugin>\s*<groupId>com\.diffplug\.spotless</groupId>.*?</plugin>", "", s, count=1, flags=re.S)
assert s2 != s, "spotless plugin not found"
open("pom.xml", "w").write(s2)
PY
}

# A parent POM that its repository installs unflattened (analysis-pom: -Pskip-flatten) would be installed with
# ${changelist} in its version, which no child can resolve; its version is written out instead, as a release does.
patch_literal_version() {
  local pom
  for pom in $(find . -name pom.xml -not -path './.git/*'); do
    sed -i -E "s#<version>\\$\\{(revision|changelist)\\}(\\.?\\$\\{changelist\\})?</version>#<version>$JFS_UNIT_VERSION</version>#" "$pom"
  done
  ! grep -q '<version>\${changelist}</version>' pom.xml
}

# workflow-step-api's tests jar holds StepConfigTester, which plugins use to test their steps' configuration round
# trip. Its other tests need workflow-support's tests jar, whose tests need this one (and the git plugin): the tests
# jar is built with StepConfigTester alone.
patch_step_api_test_utilities_only() {
  find src/test/java -name '*.java' ! -name StepConfigTester.java -delete
  [ -f src/test/java/org/jenkinsci/plugins/workflow/steps/StepConfigTester.java ]
}
