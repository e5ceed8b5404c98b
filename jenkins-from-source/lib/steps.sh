# Build steps that run before Maven in a unit's checkout (versions: run=NAME runs run_NAME). They change no source.
# shellcheck shell=bash

# Core's front end (JavaScript and CSS bundled by webpack into war/src/main/webapp/jsbundles). Its Maven profile
# downloads Node from the Jenkins site; we run the same `yarn install` and `yarn build` with the machine's Node and
# the Yarn release package.json names, taken from the npm registry npm is configured with.
run_core_frontend() {
  command -v node >/dev/null || { echo "Node.js is needed for Jenkins' front end" >&2; return 1; }
  local want; want=$(python3 -c 'import json; print(json.load(open("package.json"))["packageManager"].split("@")[1])')
  local yarn="$JFS_TOOLS/yarn-$want/package/bin/yarn.js"
  if [ ! -f "$yarn" ]; then
    mkdir -p "$JFS_TOOLS/yarn-$want"
    (cd "$JFS_TOOLS/yarn-$want" && npm pack --silent "@yarnpkg/cli-dist@$want" >/dev/null && tar -xzf yarnpkg-cli-dist-"$want".tgz)
  fi
  local registry; registry=$(npm config get registry)
  export YARN_NPM_REGISTRY_SERVER=${registry%/} YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0
  export YARN_CACHE_FOLDER="$JFS_TOOLS/yarn-cache"
  node "$yarn" install --immutable
  node "$yarn" build
  ls war/src/main/webapp/jsbundles >/dev/null
}
