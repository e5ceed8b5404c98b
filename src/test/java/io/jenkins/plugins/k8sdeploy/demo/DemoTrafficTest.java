package io.jenkins.plugins.k8sdeploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's users against a local server standing in for the proxy: of every four requests, three are answered by
 * v1 and v2 in turn (one of them with the app's own 500) and one by the proxy alone (a 502 without a pod), which is
 * counted as lost; the shares come out per bucket counted from the canary's start.
 */
class DemoTrafficTest {
    HttpServer server;
    final AtomicInteger n = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int i = n.getAndIncrement() % 4;
            if (i < 3) {
                exchange.getResponseHeaders().set("X-Image", i == 2 ? "registry.example/web:2.0"
                        : "registry.example/web:1.0");
            }
            exchange.sendResponseHeaders(i == 1 ? 500 : i == 3 ? 502 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersAreCountedByTheVersionThatGaveThemAndTheRestAsLost() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/demo/");
        Instant from;
        Instant to;
        DemoTraffic users = DemoTraffic.start(uri, 2, 50, Clock.systemUTC());
        try (users) {
            Thread.sleep(300);
            from = Instant.now();
            Thread.sleep(2500);
            to = Instant.now();
        }
        // the answers stay counted once the users stopped, as between a canary's end and its record
        AnalysisRecord r = users.shares("requests", from, to, List.of("registry.example/web:2.0",
                "registry.example/web:1.0"));
        Map<String, Double> firstBucket = new java.util.TreeMap<>();
        for (MeasurementRecord m : r.measurements()) {
            assertTrue(!m.at().isBefore(from) && m.at().isBefore(to), "every point lies in the canary's run: " + m);
            if (m.at().equals(from.plus(DemoTraffic.BUCKET.dividedBy(2)))) {
                firstBucket.put(m.metric(), m.values().get(0));
            }
        }
        assertEquals(List.of("share from 1.0", "share from 2.0", "share lost"), List.copyOf(firstBucket.keySet()));
        assertEquals(50.0, firstBucket.get("share from 1.0"), 5.0, r.toString());
        assertEquals(25.0, firstBucket.get("share from 2.0"), 5.0, r.toString());
        assertEquals(25.0, firstBucket.get("share lost"), 5.0, r.toString());
        assertTrue(r.message().matches("\\d+ requests sent through " + uri + ", counted by the version that answered"
                + " \\(its errors included\\), per 2 s: 2\\.0 \\d+, 1\\.0 \\d+, lost \\d+"), r.message());
    }

    @Test
    void waitingForAVersionThatNeverAnswersSaysWhatCameBack() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/demo/");
        try (DemoTraffic users = DemoTraffic.start(uri, 1, 50, Clock.systemUTC())) {
            IOException e = assertThrows(IOException.class, () -> users.awaitAnswersFrom("registry.example/web:3.0",
                    10, Duration.ofMillis(500)));
            assertTrue(e.getMessage().startsWith("No 10 answers in a row from registry.example/web:3.0 through " + uri
                    + " within 0 s; the last ones: ["), e.getMessage());
        }
    }
}
