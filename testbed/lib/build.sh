# Builds (or finds in the cache) the binaries the test bed runs. Sourced by testbed/up.
# Binaries live outside the repository, one folder per version, so a second `up` skips
# the build and a version bump in testbed/versions rebuilds only what changed.

# Prints the folder holding kube-apiserver, kube-controller-manager and kube-scheduler.
testbed_build_kube() {
  local out="$TESTBED_CACHE/kube-$KUBE_VERSION/bin"
  if [ -x "$out/kube-apiserver" ] && [ -x "$out/kube-controller-manager" ] && [ -x "$out/kube-scheduler" ]; then
    echo "$out"; return 0
  fi
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  local ldflags="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  mkdir -p "$out.partial"
  progress "building kube-apiserver, kube-controller-manager, kube-scheduler $KUBE_VERSION from the Go modules (10-20 min cold on 2 cores; cached afterwards in $out)"
  ( cd "$TESTBED_DIR/kube" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -trimpath -ldflags "$ldflags" -o "$out.partial/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler ) \
    >"$TESTBED_CACHE/build-kube.log" 2>&1 &
  wait_with_progress $! "Go build of the control plane" "$TESTBED_CACHE/build-kube.log"
  rm -rf "$out" && mv "$out.partial" "$out"
  echo "$out"
}

# Prints the folder holding kwok.
testbed_build_kwok() {
  local out="$TESTBED_CACHE/kwok-$KWOK_VERSION/bin"
  if [ -x "$out/kwok" ]; then echo "$out"; return 0; fi
  mkdir -p "$out.partial"
  progress "building kwok $KWOK_VERSION (about a minute cold)"
  ( GOBIN="$out.partial" CGO_ENABLED=0 GOFLAGS= go install -v -trimpath "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" ) \
    >"$TESTBED_CACHE/build-kwok.log" 2>&1 &
  wait_with_progress $! "Go build of kwok" "$TESTBED_CACHE/build-kwok.log"
  rm -rf "$out" && mv "$out.partial" "$out"
  echo "$out"
}

# Prints the path of the pod server binary (testbed/podserver, standard library only: seconds to build). Cached per
# hash of its sources, so an edit rebuilds it.
testbed_build_podserver() {
  local hash out
  hash=$(cat "$TESTBED_DIR/podserver/go.mod" "$TESTBED_DIR/podserver"/*.go | sha256sum | cut -c1-12)
  out="$TESTBED_CACHE/podserver-$hash/bin"
  if [ -x "$out/podserver" ]; then echo "$out/podserver"; return 0; fi
  mkdir -p "$out.partial"
  progress "building the pod server (testbed/podserver)"
  ( cd "$TESTBED_DIR/podserver" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -v -trimpath -o "$out.partial/podserver" . ) \
    >"$TESTBED_CACHE/build-podserver.log" 2>&1 &
  wait_with_progress $! "Go build of the pod server" "$TESTBED_CACHE/build-podserver.log"
  rm -rf "$out" && mv "$out.partial" "$out"
  echo "$out/podserver"
}

# Prints the folder holding bin/traefik and gateway-api-crds/ (the standard-channel CRDs of the Gateway API version
# Traefik's go.mod requires, and VERSION naming it). Traefik is built in its module's folder in the Go module cache,
# with its own go.mod and go.sum.
testbed_build_traefik() {
  local out="$TESTBED_CACHE/traefik-$TRAEFIK_VERSION"
  if [ -x "$out/bin/traefik" ] && [ -s "$out/gateway-api-crds/VERSION" ]; then echo "$out"; return 0; fi
  rm -rf "$out.partial"; mkdir -p "$out.partial/bin" "$out.partial/gateway-api-crds"
  progress "building traefik $TRAEFIK_VERSION from its Go module (about 7 min cold on 2 cores, plus its modules; cached afterwards in $out)"
  (
    set -euo pipefail
    cd "$TESTBED_CACHE"   # outside any module of ours
    export GOFLAGS=-mod=readonly CGO_ENABLED=0
    src=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | jq -r .Dir)
    cd "$src"
    go build -v -trimpath -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION#v}" \
      -o "$out.partial/bin/traefik" ./cmd/traefik
    gw=$(go list -m -f '{{.Version}}' sigs.k8s.io/gateway-api)
    gwdir=$(cd "$TESTBED_CACHE" && go mod download -json "sigs.k8s.io/gateway-api@$gw" | jq -r .Dir)
    cp "$gwdir"/config/crd/standard/*.yaml "$out.partial/gateway-api-crds/"
    echo "$gw" >"$out.partial/gateway-api-crds/VERSION"
  ) >"$TESTBED_CACHE/build-traefik.log" 2>&1 &
  wait_with_progress $! "Go build of traefik" "$TESTBED_CACHE/build-traefik.log"
  chmod -R u+w "$out.partial"
  rm -rf "$out" && mv "$out.partial" "$out"
  echo "$out"
}
