#!/usr/bin/env bash
# bin/demo --jenkins: the demo's story driven by a real Jenkins. Brings the test bed up, sends the demo's requests
# through the test bed's Traefik and runs a Prometheus scraping Traefik's metrics (k8spd demo --metrics-only), starts
# Jenkins with this plugin (mvn hpi:run, the real build: it needs Jenkins built from source, see docs/builds.md)
# configured as code (a Secret text credential with the test bed's token, the named cluster 'local' with the analysis
# 'errors', a user to log in as, and the Pipeline job 'demo' running examples/demo/Jenkinsfile), starts the job and
# follows its log. At the approval gate a person proceeds on the build page; with --yes the script does, by the gate's
# POST as that user. It ends with screenshots of the build page and the rollout page (headless Chromium) and their
# paths.
#
#   bin/demo --jenkins [--yes] [--port N]
#
# Without --yes, Jenkins stays up after the build for a person to look around, until Ctrl-C.
# State (JENKINS_HOME, logs, screenshots): $K8SPD_DEMO_JENKINS_DIR, by default
# ~/.local/state/k8s-progressive-delivery/demo-jenkins.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

yes=0 port=""
while [ $# -gt 0 ]; do
  case $1 in
    --jenkins) ;;
    --yes) yes=1 ;;
    --port) port=$2; shift ;;
    --port=*) port=${1#--port=} ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bin/demo --jenkins: unknown argument $1 (see bin/demo --jenkins --help)" >&2; exit 2 ;;
  esac
  shift
done

now_ms() { date +%s%3N; }
T0=$(now_ms)
say() { local ms=$(( $(now_ms) - T0 )); printf '[demo %4d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
die() { say "FAILED: $*" >&2; exit 1; }

. "$root/bin/lib/jdk.sh"

echo "== 1/6 test bed"
"$root/testbed/up" >/dev/null
state_tb=${K8SPD_TESTBED_DIR:-$HOME/.local/state/k8s-progressive-delivery/testbed}
kubeconfig="$state_tb/admin.kubeconfig"
server=$(sed -n 's/^ *server: *//p' "$kubeconfig" | head -n 1)
token=$(sed -n 's/^ *token: *//p' "$kubeconfig" | head -n 1)
ca="$state_tb/pki/ca.crt"
[ -n "$server" ] && [ -n "$token" ] && [ -f "$ca" ] || die "cannot read the test bed's server, token and CA from $kubeconfig"
say "test bed at $server"

echo
echo "== 2/6 the real build"
. "$root/bin/lib/jenkins-m2.sh"
jenkins_m2_find || die "bin/demo --jenkins runs the plugin in a real Jenkins, built from source here: $JENKINS_M2_MISSING. Run jenkins-from-source/build MIRRORS_DIR first (docs/builds.md), or bin/demo without --jenkins."
say "Jenkins built from source: $JENKINS_M2"

state=${K8SPD_DEMO_JENKINS_DIR:-$HOME/.local/state/k8s-progressive-delivery/demo-jenkins}
run_dir="$state/runs/$(date -u +%Y%m%dT%H%M%SZ)"
home="$state/jenkins-home"
mkdir -p "$run_dir"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    pkill -P "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'echo; say "Interrupted: stopping Jenkins and Prometheus."; exit 130' INT TERM

echo
echo "== 3/6 metrics"
url_file="$run_dir/prometheus.url"
"$root/bin/k8spd" demo --metrics-only --url-file "$url_file" --kubeconfig "$kubeconfig" >"$run_dir/metrics.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  [ -s "$url_file" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$run_dir/metrics.log" >&2; die "k8spd demo --metrics-only stopped"; }
  sleep 1
done
[ -s "$url_file" ] || die "Prometheus did not start within 3 minutes (log: $run_dir/metrics.log)"
prometheus=$(cat "$url_file")
say "namespace demo made again; requests sent through Traefik, whose metrics Prometheus scrapes at $prometheus (log: $run_dir/metrics.log)"

echo
echo "== 4/6 Jenkins"
[ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/jenkins"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')
rm -rf "$home"
mkdir -p "$home/jobs/demo"
# Configuration as code. ${K8SPD_DEMO_TOKEN} and ${K8SPD_DEMO_PASSWORD} are read from Jenkins' environment by the
# configuration-as-code plugin; ^${...} is its escape for the analysis' own placeholders.
{
  cat <<EOF
jenkins:
  systemMessage: "The k8s-progressive-delivery demo (bin/demo --jenkins)"
  numExecutors: 2
  securityRealm:
    local:
      allowsSignup: false
      users:
      - id: demo
        name: Demo user
        password: "\${K8SPD_DEMO_PASSWORD}"
  authorizationStrategy:
    loggedInUsersCanDoAnything:
      allowAnonymousRead: true
  globalNodeProperties:
  - envVars:
      env:
      - key: DEMO_EXAMPLES
        value: "$root/examples/demo"
credentials:
  system:
    domainCredentials:
    - credentials:
      - string:
          scope: GLOBAL
          id: testbed-token
          description: The test bed's admin token (bin/demo --jenkins)
          secret: "\${K8SPD_DEMO_TOKEN}"
unclassified:
  location:
    url: "$url/"
  progressiveDelivery:
    clusters:
    - name: local
      serverUrl: "$server"
      credentialsId: testbed-token
      namespace: demo
      caCertificate: |
EOF
  sed 's/^/        /' "$ca"
  echo "    analysisYaml: |"
  sed -e "s|\${PROMETHEUS}|$prometheus|" -e 's/\${/^${/g' "$root/examples/demo/analysis.yaml" | sed 's/^/      /'
} >"$home/casc.yaml"
python3 - "$root/examples/demo/Jenkinsfile" "$home/jobs/demo/config.xml" <<'PY'
import sys
from xml.sax.saxutils import escape
script = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(f"""<?xml version='1.1' encoding='UTF-8'?>
<flow-definition>
  <description>The demo's story (examples/demo/Jenkinsfile): v1, v2 as a canary with analysis and an approval gate, a faulty v3 that the analysis aborts.</description>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script>{escape(script)}</script>
    <sandbox>true</sandbox>
  </definition>
  <disabled>false</disabled>
</flow-definition>
""")
PY
say "JENKINS_HOME $home: configuration as code (casc.yaml) and the job 'demo'"
jenkins_log="$run_dir/jenkins.log"
(
  cd "$root"
  export CASC_JENKINS_CONFIG="$home/casc.yaml" K8SPD_DEMO_TOKEN="$token" K8SPD_DEMO_PASSWORD="$password"
  exec mvn -B -ntp -Dmaven.repo.local="$JENKINS_M2" hpi:run -Dport="$port" -Dhost=127.0.0.1 -DjenkinsHome="$home" \
    -Djenkins.install.runSetupWizard=false -Dhudson.model.UpdateCenter.never=true
) >"$jenkins_log" 2>&1 </dev/null &
pids+=($!)
say "mvn hpi:run: compiling the plugin and starting Jenkins (log: $jenkins_log)"
t=$(now_ms)
until grep -q 'Jenkins is fully up and running' "$jenkins_log" 2>/dev/null; do
  kill -0 "${pids[1]}" 2>/dev/null || { tail -n 40 "$jenkins_log" >&2; die "mvn hpi:run stopped"; }
  [ $(( $(now_ms) - t )) -lt 600000 ] || die "Jenkins did not start within 10 minutes (log: $jenkins_log)"
  if [ $(( ($(now_ms) - t) / 1000 % 15 )) -eq 0 ]; then
    say "starting Jenkins: $(( ($(now_ms) - t) / 1000 )) s; $(grep -oE '(Building|Started|Starting|Installing|Listed|Prepared|Augmented|Loaded|Completed)[^:]{0,60}' "$jenkins_log" | tail -n 1)"
  fi
  sleep 1
done
grep -q 'SEVERE' "$jenkins_log" && say "note: Jenkins logged SEVERE lines (see $jenkins_log)"
say "Jenkins is up at $url/ (log in as demo, password $password)"

cookies="$run_dir/cookies.txt"
api() { curl -gsS -b "$cookies" -c "$cookies" -u "demo:$password" "$@"; }
crumb() { api "$url/crumbIssuer/api/json" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["crumbRequestField"]+":"+c["crumb"])'; }

echo
echo "== 5/6 the build"
code=$(api -o /dev/null -w '%{http_code}' -X POST -H "$(crumb)" "$url/job/demo/build")
[ "$code" = 201 ] || die "could not start the job 'demo' (HTTP $code)"
build=""
for _ in $(seq 1 60); do
  build=$(api "$url/job/demo/api/json?tree=lastBuild[number]" | python3 -c 'import json,sys; b=json.load(sys.stdin).get("lastBuild"); print(b["number"] if b else "")')
  [ -n "$build" ] && break
  sleep 1
done
[ -n "$build" ] || die "the build of 'demo' did not start"
build_url="$url/job/demo/$build/"
say "build $build_url"
offset=0 approved=0 gate_seen=0
while :; do
  headers="$run_dir/progressive.headers"
  chunk=$(api -D "$headers" "$url/job/demo/$build/logText/progressiveText?start=$offset")
  # Console notes (links, hidden data) are serialized between ESC[8m and ESC[0m; the text is what a person reads.
  [ -n "$chunk" ] && printf '%s\n' "$chunk" | sed -e 's/\x1b\[8m[^\x1b]*\x1b\[0m//g' -e 's/\x1b\[[0-9;]*m//g' \
    -e 's/^/    | /'
  offset=$(sed -n 's/^X-Text-Size: *\([0-9]*\).*/\1/ip' "$headers" | tr -d '\r' | tail -n 1)
  more=$(grep -ci '^X-More-Data: *true' "$headers" || true)
  pending=$(api "$url/job/demo/$build/api/json?tree=actions[pending[id,message]]" | python3 -c '
import json, sys
for a in json.load(sys.stdin).get("actions", []):
    for p in (a or {}).get("pending", []) or []:
        print(p["id"]); sys.exit(0)')
  if [ -n "$pending" ] && [ "$gate_seen" = 0 ]; then
    gate_seen=1
    if [ "$yes" = 1 ]; then
      say "approval gate waiting ($pending); --yes: proceeding in 3 s by the gate's POST as user demo"
    else
      say "approval gate waiting: open $build_url, log in as demo (password $password) and press Proceed"
    fi
  fi
  if [ -n "$pending" ] && [ "$yes" = 1 ] && [ "$approved" = 0 ]; then
    sleep 3
    code=$(api -o /dev/null -w '%{http_code}' -X POST -H "$(crumb)" --data-urlencode "id=$pending" \
      --data-urlencode "comment=approved by bin/demo --jenkins --yes" "$url/job/demo/$build/k8s-approvals/proceed")
    [ "$code" = 302 ] || die "the gate's POST answered HTTP $code"
    approved=1
    say "proceeded (HTTP 302)"
  fi
  [ -z "$pending" ] && gate_seen=0 && approved=0
  [ "$more" -gt 0 ] || break
  sleep 2
done
result=$(api "$url/job/demo/$build/api/json?tree=result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')
say "build $build: $result"

echo
echo "== 6/6 screenshots"
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || die "no chromium to take screenshots with (testbed/up installs Debian's chromium)"
shot() { # url file
  local profile; profile=$(mktemp -d)
  timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1400,2200 --virtual-time-budget=5000 --screenshot="$2" "$1" \
    >/dev/null 2>&1 || true
  rm -rf "$profile"
  [ -s "$2" ]
}
shot "$build_url" "$run_dir/build-page.png" || die "no screenshot of $build_url"
rollouts=$(api "$url/job/demo/$build/api/json?tree=actions[rollouts[app]]" | python3 -c '
import json, sys
n = 0
for a in json.load(sys.stdin).get("actions", []):
    n += len((a or {}).get("rollouts", []) or [])
print(n)')
shot "${build_url}k8s-rollouts/2/" "$run_dir/rollout-page.png" || die "no screenshot of the rollout page"
say "the build's $rollouts rollouts are on its page"
say "screenshots: $run_dir/build-page.png (the build page) and $run_dir/rollout-page.png (v2's canary)"
if [ "$result" != SUCCESS ]; then
  die "the build ended $result, not SUCCESS (its log is above)"
fi
if [ "$yes" = 0 ]; then
  say "Jenkins stays up at $url/ (demo / $password) until you press Ctrl-C."
  wait "${pids[1]}" || true
fi
