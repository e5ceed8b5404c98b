# Every change jenkins-from-source/build makes to an upstream source, one function each, run in the checkout's
# top folder. Each says why the build cannot work without it. versions names them (patch=NAME).
# shellcheck shell=bash

# jexl 1.1-jenkins-20111212 and tiger-types 2.2 ask for Java 1.2 and 1.5 source levels, which no JDK 21+ compiles;
# 8 is the lowest JDK 25 accepts. The class files are used by Jenkins unchanged otherwise.
patch_source_level_8() {
  sed -i -E 's#<(source|target)>1\.[0-9]</(source|target)>#<\1>8</\2>#g' pom.xml
  grep -q '<source>8</source>' pom.xml
}

# stapler-adjunct-codemirror 1.3 (2014) depends on stapler 1.140; core 2.555.3 uses it with stapler 2076. Its
# JavaScript needs nothing of stapler's, and Maven would have to read stapler 1.140's POM to settle the conflict.
patch_codemirror_stapler_2076() {
  python3 - <<'PY'
import re
p = "pom.xml"
s = open(p).read()
s2 = re.sub(r"(<artifactId>stapler</artifactId>\s*<version>)1\.140(</version>)", r"\g<1>2076.v1b_a_c12445eb_e\2", s)
assert s2 != s, "stapler 1.140 not found"
open(p, "w").write(s2)
PY
}

# maven-hpi-plugin 3.1836 (the newest the snapshot holds) compiles against stapler-groovy 2061; core 2.555.3 uses
# 2076, which we build. Building 2061 as well would pull in a chain of older test-only artifacts (htmlunit 226,
# version-number 1.12, test-annotations 1.4, ...). The plugin only reads Jelly and Groovy views through it.
patch_hpi_plugin_libraries() {
  python3 - <<'PY'
import re
p = "pom.xml"
s = open(p).read()
s2 = re.sub(r"(<artifactId>stapler-groovy</artifactId>\s*<version>)2061\.v3949245133a_f(</version>)", r"\g<1>2076.v1b_a_c12445eb_e\2", s)
assert s2 != s, "stapler-groovy 2061 not found"
open(p, "w").write(s2)
PY
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
