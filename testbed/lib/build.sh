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
