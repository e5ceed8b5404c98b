// Command podserver answers HTTP for the test bed's pods, which kwok only pretends to run.
//
// It watches every pod (and every Deployment, for annotations) through the API server and serves, on one loopback
// address, as an HTTP forward proxy: a request for http://<pod IP>:<port>/... is answered as the pod with that IP
// would, when the pod is Running and declares that TCP container port; otherwise the connection is closed without an
// answer, as a refused connection would look to a proxy. The proxy in front of the pods (Traefik) is pointed at it
// with HTTP_PROXY, so it still picks pod IPs from EndpointSlices itself. (Pods cannot have loopback IPs that a proxy
// dials directly: the API server refuses 127.0.0.0/8 in EndpointSlices.)
//
// A pod's answer: a JSON body naming the pod, its image and the status; headers X-Pod, X-Pod-Namespace, X-Image.
// Annotations on the pod, or else on its Deployment, shape it:
//
//	k8spd.test/error-rate: "0.2"    share of requests answered with the error status (default 0)
//	k8spd.test/error-status: "503"  the error status (default 500)
//	k8spd.test/latency: "20ms"      added before answering (default none)
//
// GET /healthz on a pod always answers 200. Requests to the server itself (not in proxy form): /healthz (200 once
// the first lists are in), /pods (what is served).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	annErrorRate   = "k8spd.test/error-rate"
	annErrorStatus = "k8spd.test/error-status"
	annLatency     = "k8spd.test/latency"
)

type meta struct {
	Namespace       string            `json:"namespace"`
	Name            string            `json:"name"`
	ResourceVersion string            `json:"resourceVersion"`
	Labels          map[string]string `json:"labels"`
	Annotations     map[string]string `json:"annotations"`
	OwnerReferences []struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"ownerReferences"`
}

type object struct {
	Metadata meta `json:"metadata"`
	Spec     struct {
		Containers []struct {
			Name  string `json:"name"`
			Image string `json:"image"`
			Ports []struct {
				ContainerPort int    `json:"containerPort"`
				Protocol      string `json:"protocol"`
			} `json:"ports"`
		} `json:"containers"`
	} `json:"spec"`
	Status struct {
		Phase string `json:"phase"`
		PodIP string `json:"podIP"`
	} `json:"status"`
}

// pod is what is needed to answer as a pod.
type pod struct {
	namespace, name, deployment, ip string
	images                          map[int]string // port -> image of the container declaring it
	annotations                     map[string]string
	served                          atomic.Int64
}

type state struct {
	mu          sync.RWMutex
	pods        map[string]*pod              // namespace/name
	byAddr      map[string]*pod              // ip:port
	deployments map[string]map[string]string // namespace/name -> annotations
	synced      atomic.Int32                 // lists done (pods, deployments)
}

func newState() *state {
	return &state{pods: map[string]*pod{}, byAddr: map[string]*pod{}, deployments: map[string]map[string]string{}}
}

func (s *state) reindexLocked() {
	s.byAddr = map[string]*pod{}
	for _, p := range s.pods {
		for port := range p.images {
			s.byAddr[net.JoinHostPort(p.ip, strconv.Itoa(port))] = p
		}
	}
}

// putPod records a pod (or forgets it when it is deleted, not Running or has no IP or port).
func (s *state) putPod(o *object, deleted bool) {
	key := o.Metadata.Namespace + "/" + o.Metadata.Name
	s.mu.Lock()
	defer s.mu.Unlock()
	images := map[int]string{}
	for _, c := range o.Spec.Containers {
		for _, p := range c.Ports {
			if p.Protocol == "" || p.Protocol == "TCP" {
				images[p.ContainerPort] = c.Image
			}
		}
	}
	if deleted || o.Status.Phase != "Running" || o.Status.PodIP == "" || len(images) == 0 {
		if _, ok := s.pods[key]; ok {
			delete(s.pods, key)
			s.reindexLocked()
		}
		return
	}
	p := &pod{namespace: o.Metadata.Namespace, name: o.Metadata.Name, ip: o.Status.PodIP, images: images,
		annotations: o.Metadata.Annotations, deployment: deploymentOf(o.Metadata)}
	if old, ok := s.pods[key]; ok {
		p.served.Store(old.served.Load())
	}
	s.pods[key] = p
	s.reindexLocked()
}

func (s *state) replacePods(items []object) {
	s.mu.Lock()
	s.pods = map[string]*pod{}
	s.mu.Unlock()
	for i := range items {
		s.putPod(&items[i], false)
	}
}

func (s *state) putDeployment(o *object, deleted bool) {
	key := o.Metadata.Namespace + "/" + o.Metadata.Name
	s.mu.Lock()
	defer s.mu.Unlock()
	if deleted {
		delete(s.deployments, key)
	} else {
		s.deployments[key] = o.Metadata.Annotations
	}
}

func (s *state) replaceDeployments(items []object) {
	s.mu.Lock()
	s.deployments = map[string]map[string]string{}
	s.mu.Unlock()
	for i := range items {
		s.putDeployment(&items[i], false)
	}
}

// deploymentOf derives the Deployment from the owning ReplicaSet's name, "<deployment>-<pod-template-hash>".
func deploymentOf(m meta) string {
	hash := m.Labels["pod-template-hash"]
	for _, o := range m.OwnerReferences {
		if o.Kind == "ReplicaSet" && hash != "" && strings.HasSuffix(o.Name, "-"+hash) {
			return strings.TrimSuffix(o.Name, "-"+hash)
		}
	}
	return ""
}

// behaviour: the pod's annotation, else its Deployment's.
func (s *state) annotation(p *pod, key string) string {
	if v, ok := p.annotations[key]; ok {
		return v
	}
	if p.deployment == "" {
		return ""
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.deployments[p.namespace+"/"+p.deployment][key]
}

// ---------------------------------------------------------------- API server client

type client struct {
	server string
	token  string
	http   *http.Client
}

func newClient(server, caFile, tokenFile string) (*client, error) {
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s", caFile)
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Proxy: nil}
	return &client{server: strings.TrimRight(server, "/"), token: strings.TrimSpace(string(token)),
		http: &http.Client{Transport: tr}}, nil
}

func (c *client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.server+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		resp.Body.Close()
		return nil, &statusError{code: resp.StatusCode, body: string(body)}
	}
	return resp, nil
}

type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.code, e.body) }

type listBody struct {
	Metadata struct {
		ResourceVersion string `json:"resourceVersion"`
	} `json:"metadata"`
	Items []object `json:"items"`
}

type watchEvent struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

// informer lists then watches path forever, calling replace after each list and put for each event.
func (c *client) informer(ctx context.Context, path string, replace func([]object), put func(*object, bool),
	synced func()) {
	first := true
	for ctx.Err() == nil {
		rv, err := c.list(ctx, path, replace)
		if err != nil {
			log.Printf("list %s: %v", path, err)
			sleep(ctx, time.Second)
			continue
		}
		if first {
			synced()
			first = false
		}
		for ctx.Err() == nil {
			rv, err = c.watch(ctx, path, rv, put)
			if err == nil {
				continue // the server ended the watch: resume from the last version seen
			}
			var se *statusError
			if errors.Is(err, errGone) || (errors.As(err, &se) && se.code == http.StatusGone) {
				log.Printf("watch %s: resource version too old; listing again", path)
			} else if ctx.Err() == nil {
				log.Printf("watch %s: %v; listing again", path, err)
				sleep(ctx, 500*time.Millisecond)
			}
			break
		}
	}
}

var errGone = errors.New("gone")

func (c *client) list(ctx context.Context, path string, replace func([]object)) (string, error) {
	lctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	resp, err := c.get(lctx, path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var l listBody
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return "", err
	}
	replace(l.Items)
	return l.Metadata.ResourceVersion, nil
}

func (c *client) watch(ctx context.Context, path, rv string, put func(*object, bool)) (string, error) {
	resp, err := c.get(ctx, path+"?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion="+rv)
	if err != nil {
		return rv, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(bufio.NewReader(resp.Body))
	for {
		var ev watchEvent
		if err := dec.Decode(&ev); err != nil {
			if errors.Is(err, io.EOF) {
				return rv, nil
			}
			return rv, err
		}
		if ev.Type == "ERROR" {
			var st struct {
				Code int `json:"code"`
			}
			_ = json.Unmarshal(ev.Object, &st)
			if st.Code == http.StatusGone {
				return rv, errGone
			}
			return rv, fmt.Errorf("watch error: %s", bytes.TrimSpace(ev.Object))
		}
		var o object
		if err := json.Unmarshal(ev.Object, &o); err != nil {
			return rv, err
		}
		if o.Metadata.ResourceVersion != "" {
			rv = o.Metadata.ResourceVersion
		}
		switch ev.Type {
		case "ADDED", "MODIFIED":
			put(&o, false)
		case "DELETED":
			put(&o, true)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// ---------------------------------------------------------------- serving

type server struct {
	st     *state
	listen string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := ""
	if r.URL.IsAbs() {
		target = r.URL.Host
	} else if r.Host != "" && r.Host != s.listen {
		target = r.Host // origin form with the pod's address as Host (a client that treats this as the pod)
	}
	if target == "" || target == s.listen {
		s.own(w, r)
		return
	}
	if _, _, err := net.SplitHostPort(target); err != nil {
		target = net.JoinHostPort(target, "80")
	}
	s.st.mu.RLock()
	p := s.st.byAddr[target]
	s.st.mu.RUnlock()
	if p == nil {
		refuse(w)
		return
	}
	s.answer(w, r, p, target)
}

// refuse closes the client's connection without an answer: what a proxy sees from a refused connection.
func refuse(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not an orderly close
			}
			conn.Close()
			return
		}
	}
	http.Error(w, "no pod listens here", http.StatusBadGateway)
}

func (s *server) answer(w http.ResponseWriter, r *http.Request, p *pod, addr string) {
	p.served.Add(1)
	_, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	image := p.images[port]
	path := r.URL.Path
	status := http.StatusOK
	if path != "/healthz" {
		if d, err := time.ParseDuration(s.st.annotation(p, annLatency)); err == nil && d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if rate, err := strconv.ParseFloat(s.st.annotation(p, annErrorRate), 64); err == nil && rate > 0 &&
			rand.Float64() < rate {
			status = http.StatusInternalServerError
			if code, err := strconv.Atoi(s.st.annotation(p, annErrorStatus)); err == nil && code >= 400 && code <= 599 {
				status = code
			}
		}
	}
	body, _ := json.Marshal(map[string]any{"pod": p.name, "namespace": p.namespace, "image": image, "ip": p.ip,
		"port": port, "path": path, "status": status})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Pod", p.name)
	h.Set("X-Pod-Namespace", p.namespace)
	h.Set("X-Image", image)
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func (s *server) own(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		if s.st.synced.Load() < 2 {
			http.Error(w, "not synced yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	case "/pods":
		s.st.mu.RLock()
		type row struct {
			Address    string `json:"address"`
			Namespace  string `json:"namespace"`
			Pod        string `json:"pod"`
			Deployment string `json:"deployment,omitempty"`
			Image      string `json:"image"`
			Served     int64  `json:"served"`
		}
		rows := []row{}
		for addr, p := range s.st.byAddr {
			_, port, _ := net.SplitHostPort(addr)
			n, _ := strconv.Atoi(port)
			rows = append(rows, row{addr, p.namespace, p.name, p.deployment, p.images[n], p.served.Load()})
		}
		s.st.mu.RUnlock()
		sort.Slice(rows, func(i, j int) bool { return rows[i].Address < rows[j].Address })
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(rows)
	default:
		http.NotFound(w, r)
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:36082", "loopback address to serve on")
	apiServer := flag.String("server", "", "API server URL")
	ca := flag.String("ca", "", "CA certificate of the API server")
	tokenFile := flag.String("token-file", "", "file holding a bearer token")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	host, _, err := net.SplitHostPort(*listen)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("--listen must be a loopback address and port, got %q", *listen)
	}
	c, err := newClient(*apiServer, *ca, *tokenFile)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	st := newState()
	go c.informer(ctx, "/api/v1/pods", st.replacePods, st.putPod, func() {
		st.synced.Add(1)
		log.Printf("pods listed")
	})
	go c.informer(ctx, "/apis/apps/v1/deployments", st.replaceDeployments, st.putDeployment, func() {
		st.synced.Add(1)
		log.Printf("deployments listed")
	})
	srv := &http.Server{Addr: *listen, Handler: &server{st: st, listen: *listen},
		ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving pods on %s", *listen)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
