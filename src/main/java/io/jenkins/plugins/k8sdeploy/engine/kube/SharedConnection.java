package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One HTTP client and one set of informers per cluster connection (server, CA and credentials) in the process, shared
 * by every {@link KubeCluster} opened for it and closed when the last of them closes. A new token for the same server
 * is another connection: it gets its own client, and the old one closes once its last user is done.
 *
 * <p>Each user gets a fabric8 client of its own over the shared HTTP client (so it counts its own requests and has its
 * own default namespace), whose requests all travel on the shared client's connections.
 */
final class SharedConnection {
    private static final Map<String, SharedConnection> OPEN = new HashMap<>();

    private final String key;
    private final HttpClient http;
    private final KubernetesClient informing;
    private final SharedInformers informers;
    /**
     * The newest resourceVersion any user of this connection wrote per object ("Deployment|ns|name"): a cached read
     * older than that is not used, so a rollout always reads its own writes, and those of the unit before it.
     */
    private final Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();
    /** Guarded by {@code SharedConnection.class}. */
    private int users;

    private SharedConnection(String key, ClusterConnection c) {
        this.key = key;
        Config config = KubeClients.config(c, KubeCluster.USER_AGENT);
        this.http = Transport.FACTORY.newBuilder(config)
                .addOrReplaceInterceptor("k8spd-request-count", KubeCluster.countingOnly(null))
                .build();
        this.informing = client(config, null);
        this.informers = new SharedInformers(informing);
    }

    /** The shared connection for {@code c}, opened if none is; each call must be matched by one {@link #release}. */
    static SharedConnection acquire(ClusterConnection c) {
        String key = key(c);
        synchronized (SharedConnection.class) {
            SharedConnection shared = OPEN.get(key);
            if (shared == null) {
                shared = new SharedConnection(key, c);
                OPEN.put(key, shared);
            }
            shared.users++;
            return shared;
        }
    }

    /** One user is done; the last one closes the informers and the HTTP client. */
    void release() {
        synchronized (SharedConnection.class) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(key);
        }
        informers.closeAll();
        informing.close(); // closes the shared HTTP client too
    }

    /** How many users the connection for {@code c} has now: 0 when it is not open (for tests). */
    static int users(ClusterConnection c) {
        String key = key(c);
        synchronized (SharedConnection.class) {
            SharedConnection shared = OPEN.get(key);
            return shared == null ? 0 : shared.users;
        }
    }

    /** How many connections are open in this process (for tests and benchmarks). */
    static int openCount() {
        synchronized (SharedConnection.class) {
            return OPEN.size();
        }
    }

    /**
     * A client of the caller's own over the shared HTTP client, configured for {@code c} (its default namespace),
     * counting its requests with {@code counter}. Never close it: that would close the shared client; release the
     * connection instead.
     */
    KubernetesClient lease(ClusterConnection c, Interceptor counter) {
        return client(KubeClients.config(c, KubeCluster.USER_AGENT), counter);
    }

    SharedInformers informers() {
        return informers;
    }

    /** Notes that a user wrote {@code object}, stored at {@code resourceVersion}. */
    void wrote(String object, String resourceVersion) {
        Long v = version(resourceVersion);
        if (v != null) {
            written.merge(object, v, Math::max);
        }
    }

    /** True when a cached copy at {@code resourceVersion} is at least as new as anything written to {@code object}. */
    boolean fresh(String object, String resourceVersion) {
        Long w = written.get(object);
        if (w == null) {
            return true;
        }
        Long v = version(resourceVersion);
        return v != null && v >= w;
    }

    /**
     * A resourceVersion as a number, or null. The API server's are etcd revisions; one that is not a number is never
     * taken as fresh, so the object is read from the server instead.
     */
    private static Long version(String resourceVersion) {
        try {
            return resourceVersion == null ? null : Long.valueOf(resourceVersion);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private KubernetesClient client(Config config, Interceptor counter) {
        HttpClient.Factory derived = new HttpClient.Factory() {
            @Override
            public HttpClient.Builder newBuilder(Config ignored) {
                return newBuilder();
            }

            @Override
            public HttpClient.Builder newBuilder() {
                HttpClient.Builder b = (HttpClient.Builder) http.newBuilder();
                if (counter != null) {
                    b.addOrReplaceInterceptor("k8spd-request-count", counter);
                }
                return b;
            }
        };
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(derived)
                .withTaskExecutor(Transport.TASKS).withKubernetesSerialization(Transport.SERIALIZATION).build();
    }

    /**
     * What tells connections apart: the server, how it is trusted and who we are there, as a digest, so that no
     * secret sits in a map key. A kubeconfig whose credentials come from a command is its own connection.
     */
    private static String key(ClusterConnection c) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {c.serverUrl(), c.caCertificatePem(), String.valueOf(
                    c.insecureSkipTlsVerify()), c.bearerToken(), c.clientCertificatePem(), c.clientKeyPem(),
                    c.username(), c.password(), c.kubectlConfig() == null ? null
                            : "kubectl@" + System.identityHashCode(c.kubectlConfig())}) {
                d.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
