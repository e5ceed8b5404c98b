package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.net.ssl.SSLException;

/**
 * Opens fabric8 clients for a {@link ClusterConnection} and turns the ways a connection fails into messages a user
 * can act on.
 *
 * <p>The client is configured from the connection alone: nothing is read from {@code ~/.kube/config}, environment
 * variables or system properties of the JVM it runs in, which on a Jenkins controller belong to someone else. The one
 * exception is the command line's kubeconfig that names a credential command or files ({@link KubeconfigPolicy}):
 * fabric8 reads that kubeconfig file itself, runs its command and reads its files, as kubectl would.
 */
public final class KubeClients {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int REQUEST_TIMEOUT_MS = 30_000;
    /** fabric8 retries failed requests with a doubling backoff; a few tries ride out a blip without hiding an outage. */
    static final int RETRY_LIMIT = 3;

    private KubeClients() {}

    /**
     * A client of its own for {@code c} (a test's, a tool's): the engine's rollouts share theirs through
     * {@link KubeCluster#connect}.
     */
    public static KubernetesClient open(ClusterConnection c) {
        return new KubernetesClientBuilder().withConfig(config(c, null)).withHttpClientFactory(Transport.FACTORY)
                .withTaskExecutor(Transport.TASKS).withKubernetesSerialization(Transport.SERIALIZATION).build();
    }

    /**
     * fabric8's configuration for {@code c} only. Watches are WebSockets: with the JDK transport they cost a socket
     * each but no thread; requests are HTTP/2 streams on one connection. (Watches as HTTP/2 streams too would share
     * that connection's stream limit, which a hundred rollouts reach: every request then waits.)
     *
     * @param userAgent what the client calls itself, or {@code null} for fabric8's default; the API server names the
     *     field manager of a write that names none by its part before the first "/"
     */
    static Config config(ClusterConnection c, String userAgent) {
        if (c.kubectlConfig() != null) {
            Config config = kubectlConfig(c);
            if (userAgent != null) {
                config.setUserAgent(userAgent);
            }
            config.setOnlyHttpWatches(false);
            return config;
        }
        ConfigBuilder b = new ConfigBuilder(Config.empty())
                .withMasterUrl(c.serverUrl())
                .withTrustCerts(c.insecureSkipTlsVerify())
                .withDisableHostnameVerification(c.insecureSkipTlsVerify())
                .withConnectionTimeout(CONNECT_TIMEOUT_MS)
                .withRequestTimeout(REQUEST_TIMEOUT_MS)
                .withRequestRetryBackoffLimit(RETRY_LIMIT)
                .withOnlyHttpWatches(false);
        if (c.caCertificatePem() != null) {
            b.withCaCertData(base64(c.caCertificatePem()));
        }
        if (c.defaultNamespace() != null) {
            b.withNamespace(c.defaultNamespace());
        }
        if (c.bearerToken() != null) {
            b.withOauthToken(c.bearerToken());
        } else if (c.clientCertificatePem() != null) {
            b.withClientCertData(base64(c.clientCertificatePem())).withClientKeyData(base64(c.clientKeyPem()));
        } else if (c.username() != null) {
            b.withUsername(c.username()).withPassword(c.password());
        }
        if (userAgent != null) {
            b.withUserAgent(userAgent);
        }
        return b.build();
    }

    /**
     * fabric8's configuration from the user's kubeconfig (commands and files as kubectl runs and reads them), with
     * this plugin's timeouts and retries and the namespace the front end chose.
     */
    private static Config kubectlConfig(ClusterConnection c) {
        Config config = c.kubectlConfig();
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(RETRY_LIMIT);
        if (c.defaultNamespace() != null) {
            config.setNamespace(c.defaultNamespace());
        }
        return config;
    }

    /** The API server's version (its {@code gitVersion}, such as {@code v1.33.13}); proves the credentials work. */
    public static String serverVersion(KubernetesClient client, ClusterConnection c) throws DeployException {
        try {
            return client.getKubernetesVersion().getGitVersion();
        } catch (KubernetesClientException e) {
            throw explain(e, c, "read the server version");
        }
    }

    /**
     * A user-facing explanation of a failed request; {@code action} says what was being done ("apply x"). The request's
     * exception is kept as the cause where the failure may pass by itself, so {@link Transient} can tell.
     */
    public static DeployException explain(KubernetesClientException e, ClusterConnection c, String action) {
        String server = c.serverUrl();
        if (e.getCode() == 401) {
            return new DeployException("The Kubernetes API server at " + server + " rejected the credentials (401"
                    + " Unauthorized) when trying to " + action + ". Expected a " + c.authKind() + " this cluster"
                    + " accepts; the one given is unknown to it, expired or for another cluster.");
        }
        if (e.getCode() == 403) {
            return new DeployException("The Kubernetes API server at " + server + " forbade trying to " + action
                    + " (403 Forbidden): " + statusMessage(e) + ". Expected the credentials' user to have an RBAC"
                    + " role allowing it.");
        }
        Throwable root = rootCause(e);
        Throwable tls = cause(e, SSLException.class, GeneralSecurityException.class);
        if (tls != null) {
            return new DeployException("Could not verify the TLS certificate of the Kubernetes API server at " + server
                    + ": " + rootCause(tls).getMessage() + ". Expected the cluster's CA certificate (caCertificate, or"
                    + " certificate-authority-data in a kubeconfig) to have signed the server's certificate.");
        }
        Throwable unreachable = cause(e, ConnectException.class, UnknownHostException.class);
        if (unreachable != null) {
            // The JDK client's ConnectException says nothing itself; its cause says what happened.
            String what = unreachable.getMessage() != null ? unreachable.getMessage()
                    : unreachable.getCause() != null ? "(" + rootCause(unreachable).getClass().getSimpleName() + ")"
                    : "";
            return new DeployException("Could not reach the Kubernetes API server at " + server + ": "
                    + unreachable.getClass().getSimpleName() + " " + what + ". Expected the server URL to be"
                    + " right and the API server to be reachable from where this runs.", e);
        }
        if (e.getCode() > 0) {
            return new DeployException("The Kubernetes API server at " + server + " refused to " + action + " ("
                    + e.getCode() + "): " + statusMessage(e) + ".", e);
        }
        if (root instanceof IOException) {
            return new DeployException("The connection to the Kubernetes API server at " + server + " failed while"
                    + " trying to " + action + ": " + root.getClass().getSimpleName() + " " + root.getMessage() + ".",
                    e);
        }
        throw e;
    }

    private static String statusMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
    }

    /** The first of {@code t} and its causes that is one of {@code types}, or null. */
    @SafeVarargs
    private static Throwable cause(Throwable t, Class<? extends Throwable>... types) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
