# Shared helpers for testbed/up and testbed/down. Sourced, never run.

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TESTBED_DIR/versions"
# Built binaries: outside the repository, kept between clones and CI runs.
TESTBED_CACHE=${K8SPD_CACHE:-$HOME/.cache/k8s-progressive-delivery}/testbed
# Runtime state of a running test bed: PKI, kubeconfigs, pids, logs. etcd's data goes to /dev/shm.
TESTBED_STATE=${K8SPD_TESTBED_DIR:-$HOME/.local/state/k8s-progressive-delivery/testbed}
mkdir -p "$TESTBED_CACHE" "$TESTBED_STATE"

TESTBED_T0=${TESTBED_T0:-$(date +%s)}
export TESTBED_T0

# One progress line on stderr, with the seconds since `up` started.
progress() { printf '[testbed %4ss] %s\n' "$(( $(date +%s) - TESTBED_T0 ))" "$*" >&2; }

die() { progress "FAILED: $*"; exit 1; }

# Waits for a background pid, printing a line every 20 s so a long build is never silent.
# When the log has one line per compiled Go package (go build -v), the line counts them.
wait_with_progress() {
  local pid=$1 what=$2 log=$3 start n=0
  start=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1; n=$((n + 1))
    if [ $((n % 20)) -eq 0 ]; then
      progress "$what: $(( $(date +%s) - start ))s, $(grep -cv '^#' "$log" 2>/dev/null || echo 0) packages compiled so far"
    fi
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    die "$what failed; full log in $log"
  fi
  progress "$what done in $(( $(date +%s) - start ))s"
}
