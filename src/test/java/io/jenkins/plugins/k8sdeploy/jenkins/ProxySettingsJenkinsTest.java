package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hudson.ProxyConfiguration;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.PrometheusProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Under Jenkins, metric queries go through the proxy set in Manage Jenkins: a Prometheus whose host does not even
 * resolve is reached through a proxy on loopback, which sees the query's absolute address.
 */
@JenkinsTest
class ProxySettingsJenkinsTest {

    @Test
    void metricQueriesGoThroughTheProxyJenkinsIsConfiguredWith(JenkinsRule j) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.5\"]}]}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try {
            j.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", proxy.getAddress().getPort()));

            Measurement m = PrometheusProvider.of("http://prometheus.example.invalid:9090").measure("up", null);

            assertNull(m.error(), "answered through the proxy");
            assertEquals(List.of(0.5), m.values());
            assertEquals(1, seen.size(), String.valueOf(seen));
            assertTrue(seen.get(0).startsWith("POST http://prometheus.example.invalid:9090/api/v1/query"),
                    seen.get(0));
        } finally {
            proxy.stop(0);
        }
    }
}
