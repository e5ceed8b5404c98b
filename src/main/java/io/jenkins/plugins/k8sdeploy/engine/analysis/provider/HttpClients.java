package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the metric providers' HTTP clients start from. On the command line, a plain JDK builder (the JVM's own proxy
 * settings apply). Under Jenkins, the plugin installs core's builder, which honours the proxy an administrator set in
 * Manage Jenkins (host, port, user, hosts that bypass it); the providers then add their own timeout, redirect and
 * TLS settings on top.
 */
public final class HttpClients {
    private static volatile Supplier<HttpClient.Builder> builders = HttpClient::newBuilder;

    private HttpClients() {}

    /** Every client made from now on starts from {@code newBuilder.get()}. */
    public static void startFrom(Supplier<HttpClient.Builder> newBuilder) {
        builders = Objects.requireNonNull(newBuilder);
    }

    static HttpClient.Builder newBuilder() {
        return builders.get();
    }
}
