# Build steps that run before Maven in a unit's checkout (versions: run=NAME runs run_NAME). They change no source.
# shellcheck shell=bash

# Core's front end (JavaScript and CSS bundled by webpack into war/src/main/webapp/jsbundles). Its Maven profile
# downloads Node from the Jenkins site; we run the same `yarn install` and `yarn build` with the machine's Node and
# the Yarn release package.json names, taken from the npm registry npm is configured with.
run_core_frontend() {
  yarn_berry install --immutable
  yarn_berry build
  ls war/src/main/webapp/jsbundles >/dev/null
}

yarn_berry() { # runs the Yarn (2+) release package.json's packageManager names, from the npm registry
  command -v node >/dev/null || { echo "Node.js is needed for this front end" >&2; return 1; }
  local want; want=$(python3 -c 'import json; print(json.load(open("package.json"))["packageManager"].split("@")[1].split("+")[0])')
  local yarn="$JFS_TOOLS/yarn-$want/package/bin/yarn.js"
  if [ ! -f "$yarn" ]; then
    mkdir -p "$JFS_TOOLS/yarn-$want"
    (cd "$JFS_TOOLS/yarn-$want" && npm pack --silent "@yarnpkg/cli-dist@$want" >/dev/null && tar -xzf yarnpkg-cli-dist-"$want".tgz)
  fi
  local registry; registry=$(npm config get registry)
  YARN_NPM_REGISTRY_SERVER=${registry%/} YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0 \
    YARN_CACHE_FOLDER="$JFS_TOOLS/yarn-cache" node "$yarn" "$@"
}

yarn_classic() { # Yarn 1, at the version the POM's yarn.version names
  local want; want=$(python3 - <<'PY'
import re
s = open("pom.xml").read()
m = re.search(r"<yarn.version>([^<]+)</yarn.version>", s)
print(m.group(1) if m else "1.22.22")
PY
)
  local yarn="$JFS_TOOLS/yarn-$want/package/bin/yarn.js"
  if [ ! -f "$yarn" ]; then
    mkdir -p "$JFS_TOOLS/yarn-$want"
    (cd "$JFS_TOOLS/yarn-$want" && npm pack --silent "yarn@$want" >/dev/null && tar -xzf yarn-"$want".tgz)
  fi
  node "$yarn" --registry "$(npm config get registry)" "$@"
}

# A plugin whose build runs npm or Yarn through frontend-maven-plugin (the parent POM's node-execution,
# yarn-execution and yarn-with-corepack profiles, switched on by marker files) would download Node from the Jenkins
# site. The same commands run here with the machine's Node, and the build is told to leave those profiles out.
run_plugin_frontend() {
  if [ -f .mvn_exec_node ]; then
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
    npm run mvnbuild
  elif [ -f .mvn_exec_yarn ]; then
    yarn_classic install --frozen-lockfile && yarn_classic mvnbuild
  elif [ -f .mvn_exec_yarn_corepack ]; then
    yarn_berry install --immutable && yarn_berry mvnbuild
  fi
}

# lib-durable-task builds its durable_task_monitor binaries (Go) in a Docker container. The same `go build`s run
# here with the machine's Go, into the folder the jar packs; the build is then told to skip that exec step.
run_durable_task_binaries() {
  command -v go >/dev/null || { echo "Go is needed for lib-durable-task" >&2; return 1; }
  local out; out="$PWD/target/classes/io/jenkins/plugins/lib-durable-task"
  mkdir -p "$out"
  local target
  (cd src/cmd/bash && for target in darwin/amd64:darwin_amd64 darwin/arm64:darwin_arm64 linux/amd64:linux_64 \
      linux/386:linux_32 linux/ppc64le:linux_ppc64le linux/arm64:linux_aarch64; do
    CGO_ENABLED=0 GOOS=${target%%/*} GOARCH=$(cut -d/ -f2 <<<"${target%%:*}") \
      go build -ldflags="-s -w" -trimpath -o "$out/durable_task_monitor_${target#*:}" . || exit 1
  done)
  (cd src/cmd/windows && for target in amd64:win_64 386:win_32; do
    CGO_ENABLED=0 GOOS=windows GOARCH=${target%%:*} go build -ldflags="-s -w" -trimpath -o "$out/durable_task_monitor_${target#*:}.exe" . || exit 1
  done)
  ls -la "$out"
}

# After the jenkins unit: the war it installed starts (java -jar jenkins.war on a free loopback port, a throwaway
# JENKINS_HOME) and says it is fully up. A war missing its launcher (executable/winstone.jar) or a broken core fails
# here rather than in the plugin's tests.
check_jenkins_war() {
  local war; war=$(gav_path "$1")/jenkins-war-${1##*:}.war
  local home; home=$(mktemp -d)
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  JENKINS_HOME="$home" "$JAVA_HOME/bin/java" -Djenkins.install.runSetupWizard=false \
    -Dhudson.model.UpdateCenter.never=true -jar "$war" --httpPort="$port" --httpListenAddress=127.0.0.1 \
    >"$home.log" 2>&1 &
  local pid=$! ok=1
  for _ in $(seq 1 120); do
    if grep -q 'Jenkins is fully up and running' "$home.log"; then ok=0; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  [ $ok -eq 0 ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/login" || ok=1
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  cat "$home.log"
  rm -rf "$home" "$home.log"
  return $ok
}
