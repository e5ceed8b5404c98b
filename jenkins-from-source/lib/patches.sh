# Every change jenkins-from-source/build makes to an upstream source, one function each, run in the checkout's
# top folder. Each says why the build cannot work without it. versions names them (patch=NAME).
# shellcheck shell=bash

# jexl 1.1-jenkins-20111212 and tiger-types 2.2 ask for Java 1.2 and 1.5 source levels, which no JDK 21+ compiles;
# 8 is the lowest JDK 25 accepts. The class files are used by Jenkins unchanged otherwise.
patch_source_level_8() {
  sed -i -E 's#<(source|target)>1\.[0-9]</(source|target)>#<\1>8</\2>#g' pom.xml
  grep -q '<source>8</source>' pom.xml
}
