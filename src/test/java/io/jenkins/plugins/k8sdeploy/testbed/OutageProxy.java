package io.jenkins.plugins.k8sdeploy.testbed;

import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the test bed's API server that a test can take down and bring back, or freeze: an outage
 * seen by one client only, so tests running beside it keep their API server. While down, nothing listens on its port
 * (a connection is refused) and every relayed connection is cut; while frozen, connections stay open and nothing
 * passes either way (an API server that hangs). TLS passes through untouched (the server's certificate names
 * 127.0.0.1, whatever the port).
 *
 * <pre>{@code
 * try (OutageProxy proxy = OutageProxy.start(cluster)) {
 *     ClusterConnection through = proxy.connection();
 *     proxy.down(); ... proxy.up();
 * }
 * }</pre>
 */
public final class OutageProxy implements AutoCloseable {
    private final TestCluster cluster;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private final Object lock = new Object();
    private boolean frozen;
    private volatile ServerSocket server;

    private OutageProxy(TestCluster cluster, InetSocketAddress target) throws IOException {
        this.cluster = cluster;
        this.target = target;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = s.getLocalPort();
        serve(s);
    }

    /** A relay to the test bed's API server, up. */
    public static OutageProxy start(TestCluster cluster) throws IOException {
        URI api = URI.create(cluster.adminConnection().serverUrl());
        return new OutageProxy(cluster, new InetSocketAddress(api.getHost(), api.getPort()));
    }

    /** The admin's connection, through this relay. */
    public ClusterConnection connection() throws Exception {
        String kubeconfig = Files.readString(cluster.bed().adminKubeconfig());
        return Kubeconfig.connection(kubeconfig.replace(cluster.adminConnection().serverUrl(),
                "https://127.0.0.1:" + port), null,
                io.jenkins.plugins.k8sdeploy.engine.kube.KubeconfigPolicy.jenkins(false));
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Nothing passes until {@link #thaw()}: requests hang, as when the API server stops answering. */
    public void freeze() {
        synchronized (lock) {
            frozen = true;
        }
    }

    public void thaw() {
        synchronized (lock) {
            frozen = false;
            lock.notifyAll();
        }
    }

    /** Stops listening and cuts every relayed connection. */
    public synchronized void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** Listens again, on the same port. */
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        serve(s);
    }

    private void serve(ServerSocket s) {
        server = s;
        Thread accept = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed by down(), or the API server refused: the client sees its connection fail
                }
            }
        }, "outage-proxy-accept-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (lock) {
                        while (frozen) {
                            lock.wait();
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // cut
            } finally {
                close(from);
                close(to);
            }
        }, "outage-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        thaw();
        down();
    }
}
