// Command podserver answers HTTP for the test bed's pods, which kwok only pretends to run.
//
// It watches every pod (and every Deployment, for annotations) through the API server and serves, on one loopback
// address, as a SOCKS5 proxy: a CONNECT to <pod IP>:<port> succeeds when that pod is Running and declares that TCP
// container port, and the connection is then served as that pod would serve HTTP; a CONNECT to any other address is
// refused (SOCKS reply 5, "connection refused"), and the connections to a pod are closed when it stops being served
// (deleted, or no longer Running), as a container's would be. The proxy in front of the pods (Traefik) is pointed at
// it with HTTP_PROXY=socks5://..., so it still picks pod IPs from EndpointSlices and dials them itself. (Pods cannot
// have loopback IPs that a proxy dials directly: the API server refuses 127.0.0.0/8 in EndpointSlices. An HTTP
// proxy would not do either: Go sends the Host header, not the dialled address, in a proxied request line.)
//
// The same port also speaks plain HTTP: requests in proxy form (curl -x http://...) for http://<pod IP>:<port>/
// are answered as that pod, other requests are for the server itself (below).
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

// id: the pod instance behind an address (a pod IP may be handed to another pod once this one is gone).
func (p *pod) id() string { return p.namespace + "/" + p.name + "@" + p.ip }

type state struct {
	mu          sync.RWMutex
	pods        map[string]*pod              // namespace/name
	byAddr      map[string]*pod              // ip:port
	deployments map[string]map[string]string // namespace/name -> annotations
	synced      atomic.Int32                 // lists done (pods, deployments)
	onChange    func(served map[string]*pod) // after every change of what is served (under mu)
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
	if s.onChange != nil {
		s.onChange(s.byAddr)
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

type podAddrKey struct{}

// podHandler serves HTTP on connections made through SOCKS to a pod's address (in the request context).
type podHandler struct{ s *server }

func (h podHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	addr, _ := r.Context().Value(podAddrKey{}).(string)
	h.s.st.mu.RLock()
	p := h.s.st.byAddr[addr]
	h.s.st.mu.RUnlock()
	if p == nil {
		refuse(w) // the pod went away while this request was on its way
		return
	}
	h.s.answer(w, r, p, addr)
}

// conns: the open connections to each pod address, reset when that address stops being served by their pod.
type conns struct {
	mu     sync.Mutex
	byAddr map[string]map[*podConn]struct{}
}

func (c *conns) add(conn *podConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAddr[conn.addr] == nil {
		c.byAddr[conn.addr] = map[*podConn]struct{}{}
	}
	c.byAddr[conn.addr][conn] = struct{}{}
}

func (c *conns) remove(conn *podConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byAddr[conn.addr], conn)
	if len(c.byAddr[conn.addr]) == 0 {
		delete(c.byAddr, conn.addr)
	}
}

// resetGone resets the connections to every address that is no longer served by the pod they were opened to.
func (c *conns) resetGone(served map[string]*pod) {
	var gone []*podConn
	c.mu.Lock()
	for addr, set := range c.byAddr {
		for conn := range set {
			if p := served[addr]; p == nil || p.id() != conn.podID {
				gone = append(gone, conn)
			}
		}
	}
	c.mu.Unlock()
	for _, conn := range gone {
		if tc, ok := underlying(conn).(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		conn.Close()
	}
}

// chanListener hands connections accepted elsewhere to an http.Server.
type chanListener struct {
	ch     chan net.Conn
	addr   net.Addr
	closed chan struct{}
	once   sync.Once
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{ch: make(chan net.Conn), addr: addr, closed: make(chan struct{})}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }

func (l *chanListener) put(c net.Conn) {
	select {
	case l.ch <- c:
	case <-l.closed:
		c.Close()
	}
}

// peekedConn gives back the bytes read to tell SOCKS from HTTP; podConn remembers the pod address it was opened to.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

type podConn struct {
	net.Conn
	addr, podID string
	cs          *conns
	once        sync.Once
}

func (c *podConn) Close() error {
	c.once.Do(func() { c.cs.remove(c) })
	return c.Conn.Close()
}

func underlying(c net.Conn) net.Conn {
	for {
		switch x := c.(type) {
		case *podConn:
			c = x.Conn
		case *peekedConn:
			c = x.Conn
		default:
			return c
		}
	}
}

// dispatch reads the first byte: 5 is a SOCKS5 greeting, anything else HTTP for the server itself.
func (s *server) dispatch(c net.Conn, own, pods *chanListener, cs *conns) {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	if err != nil {
		c.Close()
		return
	}
	pc := &peekedConn{Conn: c, r: br}
	if first[0] != 5 {
		_ = c.SetReadDeadline(time.Time{})
		own.put(pc)
		return
	}
	addr, ok := socksConnect(br, c)
	if !ok {
		c.Close()
		return
	}
	s.st.mu.RLock()
	p := s.st.byAddr[addr]
	s.st.mu.RUnlock()
	if p == nil {
		_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		c.Close()
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	if _, err := c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0}); err != nil {
		c.Close()
		return
	}
	conn := &podConn{Conn: pc, addr: addr, podID: p.id(), cs: cs}
	cs.add(conn)
	pods.put(conn)
}

// socksConnect reads a SOCKS5 greeting (no authentication) and CONNECT request; returns the target "ip:port".
func socksConnect(br *bufio.Reader, w io.Writer) (string, bool) {
	head := make([]byte, 2)
	if _, err := io.ReadFull(br, head); err != nil || head[0] != 5 {
		return "", false
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(br, methods); err != nil || bytes.IndexByte(methods, 0) < 0 {
		_, _ = w.Write([]byte{5, 0xff})
		return "", false
	}
	if _, err := w.Write([]byte{5, 0}); err != nil {
		return "", false
	}
	req := make([]byte, 4)
	if _, err := io.ReadFull(br, req); err != nil || req[0] != 5 {
		return "", false
	}
	if req[1] != 1 { // only CONNECT
		_, _ = w.Write([]byte{5, 7, 0, 1, 0, 0, 0, 0, 0, 0})
		return "", false
	}
	var host string
	switch req[3] {
	case 1, 4:
		ip := make([]byte, map[byte]int{1: 4, 4: 16}[req[3]])
		if _, err := io.ReadFull(br, ip); err != nil {
			return "", false
		}
		host = net.IP(ip).String()
	case 3:
		n, err := br.ReadByte()
		if err != nil {
			return "", false
		}
		name := make([]byte, n)
		if _, err := io.ReadFull(br, name); err != nil {
			return "", false
		}
		host = string(name)
	default:
		_, _ = w.Write([]byte{5, 8, 0, 1, 0, 0, 0, 0, 0, 0})
		return "", false
	}
	port := make([]byte, 2)
	if _, err := io.ReadFull(br, port); err != nil {
		return "", false
	}
	return net.JoinHostPort(host, strconv.Itoa(int(port[0])<<8|int(port[1]))), true
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
	s := &server{st: st, listen: *listen}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	own, pods := newChanListener(ln.Addr()), newChanListener(ln.Addr())
	cs := &conns{byAddr: map[string]map[*podConn]struct{}{}}
	st.onChange = cs.resetGone
	ownSrv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	podSrv := &http.Server{Handler: podHandler{s}, IdleTimeout: 120 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if pc, ok := c.(*podConn); ok {
				return context.WithValue(ctx, podAddrKey{}, pc.addr)
			}
			return ctx
		}}
	go func() { _ = ownSrv.Serve(own) }()
	go func() { _ = podSrv.Serve(pods) }()
	log.Printf("serving pods on %s (SOCKS5, and HTTP in proxy form)", *listen)
	go func() {
		<-ctx.Done()
		ln.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ownSrv.Shutdown(sctx)
		_ = podSrv.Shutdown(sctx)
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go s.dispatch(c, own, pods, cs)
	}
}
