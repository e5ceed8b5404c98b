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

# "45s", "4m05s": seconds as a person reads them.
fmt_seconds() { if [ "$1" -lt 60 ]; then printf '%ds' "$1"; else printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); fi; }

# Waits for a background pid, printing a line every 15 s so a long build is never silent: the time so far and, when
# the log has one line per compiled Go package (go build -v), how many were compiled and the latest one, and how many
# modules were downloaded ("go: downloading ...").
wait_with_progress() {
  local pid=$1 what=$2 log=$3 start n=0 pkgs mods last
  start=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1; n=$((n + 1))
    if [ $((n % 15)) -eq 0 ]; then
      pkgs=$(grep -cv -e '^#' -e '^go: ' "$log" 2>/dev/null || true)
      mods=$(grep -c '^go: downloading' "$log" 2>/dev/null || true)
      last=$(grep -v -e '^#' -e '^go: ' "$log" 2>/dev/null | tail -n 1 | cut -c1-90 || true)
      progress "$what: $(fmt_seconds $(( $(date +%s) - start ))) so far, ${pkgs:-0} packages compiled${last:+ (latest: $last)}$( [ "${mods:-0}" -gt 0 ] && printf ', %s modules downloaded' "$mods")"
    fi
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    die "$what failed; full log in $log"
  fi
  progress "$what done in $(fmt_seconds $(( $(date +%s) - start )))"
}

# with_heartbeat WHAT LOG COMMAND...: runs COMMAND in the foreground, its output appended to LOG, with a line every
# 15 s while it runs ("installing chromium: 45s so far"); returns its exit status. The heartbeat stops with the
# command, or by itself once this shell is gone.
with_heartbeat() {
  local what=$1 log=$2 hb rc=0; shift 2
  ( s=$(date +%s); while sleep 15 && kill -0 $$ 2>/dev/null; do progress "$what: $(fmt_seconds $(( $(date +%s) - s ))) so far"; done ) &
  hb=$!
  "$@" >>"$log" 2>&1 || rc=$?
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  return "$rc"
}
