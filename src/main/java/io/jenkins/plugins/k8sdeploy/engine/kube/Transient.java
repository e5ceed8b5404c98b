package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Tells a failure that may pass by itself (the API server restarting, a load balancer dropping connections, the
 * server shedding load) from one that will not (bad credentials, a refused request, a certificate that does not
 * match). Only the first kind is worth retrying.
 *
 * <p>Transient: no answer at all (connection refused or reset, a timeout), and the answers 429 Too Many Requests,
 * 500, 502, 503 and 504. Not transient: every other answer, an unknown host (a typo does not heal), and TLS failures.
 */
public final class Transient {
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private Transient() {}

    /** True when {@code t} or one of its causes is a request that failed in a way that may pass by itself. */
    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof SSLException) {
                return false;
            }
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                return RETRYABLE.contains(k.getCode());
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (c instanceof KubernetesClientException k && k.getCode() == 0 && k.getCause() == null) {
                return false;
            }
        }
        return false;
    }

    /** One line on what went wrong, for the log: "ConnectException: Connection refused", "503 Service Unavailable". */
    public static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                return "HTTP " + k.getCode();
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                // The JDK client's says nothing itself when the connection is refused or cut while connecting.
                return "ConnectException: " + (c.getMessage() != null ? c.getMessage()
                        : "the connection could not be made");
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
