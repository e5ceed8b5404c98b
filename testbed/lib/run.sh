# shellcheck shell=bash disable=SC2034
# Helpers shared by testbed/up and testbed/down: ports, pid files, process checks,
# talking to the API server with curl. Sourced after lib/common.sh, never run.

# Components in start order (down stops etcd last).
TESTBED_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok podserver traefik)

# Ports (all bound to 127.0.0.1). Unusual numbers so a packaged etcd (2379/2380) or a
# real cluster (6443) on the same machine does not clash.
TESTBED_API_PORT=${K8SPD_TESTBED_API_PORT:-36443}
TESTBED_ETCD_PORT=${K8SPD_TESTBED_ETCD_PORT:-32379}
TESTBED_ETCD_PEER_PORT=${K8SPD_TESTBED_ETCD_PEER_PORT:-32380}
TESTBED_ETCD_METRICS_PORT=${K8SPD_TESTBED_ETCD_METRICS_PORT:-32381}
# The data plane: Traefik's entry point for requests (the Gateway's listener port), Traefik's own entry point
# (/ping, /metrics), and the pod server (answers as the pods; Traefik reaches the pods through it).
TESTBED_PROXY_PORT=${K8SPD_TESTBED_PROXY_PORT:-36080}
TESTBED_PROXY_ADMIN_PORT=${K8SPD_TESTBED_PROXY_ADMIN_PORT:-36081}
TESTBED_PODSERVER_PORT=${K8SPD_TESTBED_PODSERVER_PORT:-36082}
# Pod IPs that kwok hands out (its --cidr). Not reachable as such: the pod server answers for them.
TESTBED_POD_CIDR=${K8SPD_TESTBED_POD_CIDR:-10.244.0.1/16}
# The Gateway that up creates for tests' HTTPRoutes (parentRefs: [{name: testbed, namespace: testbed-gateway}]).
TESTBED_GATEWAY_NAMESPACE=testbed-gateway
TESTBED_GATEWAY_NAME=testbed

TESTBED_SERVICE_CIDR=10.96.0.0/16
TESTBED_SERVICE_IP=10.96.0.1   # first IP of TESTBED_SERVICE_CIDR: the kubernetes Service

TESTBED_PKI=$TESTBED_STATE/pki
TESTBED_PIDS=$TESTBED_STATE/pids
TESTBED_LOGS=$TESTBED_STATE/logs
# Written by up as its last step, removed by down (and by a failed up): "up completed".
TESTBED_ENV_FILE=$TESTBED_STATE/testbed.env

# etcd keeps its data in memory (tmpfs), one folder per state folder so that two test beds
# with different K8SPD_TESTBED_DIR never share it.
testbed_shm_dir() {
  printf '/dev/shm/k8spd-testbed-%s' "$(printf '%s' "$TESTBED_STATE" | sha256sum | cut -c1-10)"
}

# Prints the pid recorded for a component if that process is still alive and still runs
# the component's binary (guards against pid reuse); fails otherwise.
testbed_live_pid() {
  local name=$1 file="$TESTBED_PIDS/$1.pid" pid argv0
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  case $pid in ''|*[!0-9]*) return 1 ;; esac
  [ -r "/proc/$pid/cmdline" ] || return 1
  argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1) || return 1
  [ "$(basename -- "$argv0")" = "$name" ] || return 1
  echo "$pid"
}

# Stops the named components together: TERM, up to 10 s, then KILL. Removes their pid files.
testbed_stop_group() {
  local name pid n=0 names=() pids=() alive
  for name in "$@"; do
    if pid=$(testbed_live_pid "$name"); then
      names+=("$name"); pids+=("$pid")
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  if [ ${#pids[@]} -gt 0 ]; then
    progress "stopping ${names[*]} (pids ${pids[*]})"
    while :; do
      alive=()
      for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi; done
      [ ${#alive[@]} -gt 0 ] || break
      if [ $n -ge 100 ]; then
        progress "pids ${alive[*]} did not stop within 10 s; sending KILL"
        kill -KILL "${alive[@]}" 2>/dev/null || true
        sleep 0.5
        break
      fi
      sleep 0.1; n=$((n + 1))
    done
  fi
  for name in "$@"; do rm -f "$TESTBED_PIDS/$name.pid"; done
}

# Stops every component recorded in the pid files (etcd last, so the API server can shut
# down cleanly), then removes etcd's data from /dev/shm and the env file.
testbed_stop_all() {
  testbed_stop_group traefik podserver
  testbed_stop_group kwok kube-scheduler kube-controller-manager kube-apiserver
  testbed_stop_group etcd
  rm -f "$TESTBED_ENV_FILE"
  rm -rf "$(testbed_shm_dir)"
}

# Moves the current logs aside into logs/previous-<timestamp>/ and keeps the last 5 of those.
testbed_archive_logs() {
  local logs=("$TESTBED_LOGS"/*.log) dest old
  [ -e "${logs[0]}" ] || return 0
  dest="$TESTBED_LOGS/previous-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$dest"
  mv "${logs[@]}" "$dest/"
  # shellcheck disable=SC2012
  for old in $(ls -1d "$TESTBED_LOGS"/previous-* 2>/dev/null | sort -r | tail -n +6); do
    rm -rf "$old"
  done
  progress "logs of the previous run kept in $dest"
}

# Reads the admin token from the admin kubeconfig.
testbed_admin_token() {
  sed -n 's/^ *token: *//p' "$TESTBED_STATE/admin.kubeconfig" 2>/dev/null | head -n 1
}

# Reads the API server URL from the admin kubeconfig.
testbed_admin_server() {
  sed -n 's/^ *server: *//p' "$TESTBED_STATE/admin.kubeconfig" 2>/dev/null | head -n 1
}

# kapi METHOD PATH [JSON-BODY]: one request as admin; prints the body, fails on HTTP >= 400
# (the body is still printed, to stdout).
kapi() {
  local method=$1 path=$2 body=${3:-} server token
  server=$(testbed_admin_server); token=$(testbed_admin_token)
  local args=(-sS --max-time 20 --cacert "$TESTBED_PKI/ca.crt" -H "Authorization: Bearer $token"
              -H 'Accept: application/json' -X "$method" -w '\n%{http_code}')
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  local out code
  out=$(curl "${args[@]}" "$server$path") || return 1
  code=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  [ "$code" -lt 400 ]
}

# True when every component runs, the API server answers /readyz with the admin kubeconfig, the pod server has
# listed pods and Traefik answers /ping.
testbed_healthy() {
  local name
  [ -f "$TESTBED_ENV_FILE" ] && [ -f "$TESTBED_STATE/admin.kubeconfig" ] || return 1
  for name in "${TESTBED_COMPONENTS[@]}"; do
    testbed_live_pid "$name" >/dev/null || return 1
  done
  [ "$(kapi GET /readyz 2>/dev/null)" = ok ] || return 1
  # The ports of the running test bed are in its env file (the caller's environment may differ).
  local podserver proxy_admin
  podserver=$(sed -n 's/^K8SPD_TESTBED_PODSERVER_URL=//p' "$TESTBED_ENV_FILE")
  proxy_admin=$(sed -n 's/^K8SPD_TESTBED_PROXY_ADMIN_URL=//p' "$TESTBED_ENV_FILE")
  [ -n "$podserver" ] && [ -n "$proxy_admin" ] || return 1
  curl -sf --noproxy '*' --max-time 2 "$podserver/healthz" >/dev/null 2>&1 || return 1
  [ "$(curl -sf --noproxy '*' --max-time 2 "$proxy_admin/ping" 2>/dev/null)" = OK ]
}

# Lines of `ss -ltnp` (no header) for sockets owned by the given pids.
testbed_listeners() {
  local pids=("$@") line pid
  ss -ltnpH 2>/dev/null | while IFS= read -r line; do
    for pid in "${pids[@]}"; do
      case $line in *"pid=$pid,"*) printf '%s\n' "$line"; break ;; esac
    done
  done
}
