//go:build tools

// Package tools pins the Kubernetes control-plane commands this wrapper module builds.
// The blank imports make `go mod tidy` keep every package the three binaries need.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
)
