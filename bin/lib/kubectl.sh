# Builds (or finds in the cache) kubectl at the test bed's KUBE_VERSION, for bin/bench's comparison. Sourced.
# Built with Go from the module k8s.io/kubernetes (cmd/kubectl) in a temporary copy of testbed/kube, which already
# requires k8s.io/kubernetes at that version with the staging modules replaced; nothing in the repository changes.
# The binary goes to ~/.cache/k8s-progressive-delivery/bench/kubectl-<version>/kubectl (or under $K8SPD_CACHE).

# bench_kubectl: prints the path of kubectl; progress lines (every 15 s while building) go to stderr.
bench_kubectl() {
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  (
    . "$root/testbed/lib/common.sh"
    local out=${K8SPD_CACHE:-$HOME/.cache/k8s-progressive-delivery}/bench/kubectl-$KUBE_VERSION
    if [ -x "$out/kubectl" ]; then echo "$out/kubectl"; exit 0; fi
    mkdir -p "$out"
    local tmp; tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cp "$root/testbed/kube/go.mod" "$root/testbed/kube/go.sum" "$tmp/"
    printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kubectl"\n' >"$tmp/tools.go"
    local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
    local ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags="$ldflags -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    done
    progress "building kubectl $KUBE_VERSION from the Go modules for the comparison (a few minutes cold; cached in $out)"
    ( cd "$tmp" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -trimpath -ldflags "$ldflags" -o "$out/kubectl.partial" \
        k8s.io/kubernetes/cmd/kubectl ) >"$out/build.log" 2>&1 &
    wait_with_progress $! "Go build of kubectl" "$out/build.log"
    mv "$out/kubectl.partial" "$out/kubectl"
    echo "$out/kubectl"
  )
}
