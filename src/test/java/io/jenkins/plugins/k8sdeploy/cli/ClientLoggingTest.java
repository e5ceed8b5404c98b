package io.jenkins.plugins.k8sdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** What fabric8 logs during an outage reaches the terminal as one line per distinct event, with no stack trace. */
class ClientLoggingTest {
    static LogRecord record(Level level, String message, Throwable thrown, long at) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("io.fabric8.kubernetes.client.informers.impl.cache.Reflector");
        r.setThrown(thrown);
        r.setMillis(at);
        return r;
    }

    @Test
    void aReconnectStormIsOneLinePerDistinctEventWithoutTraces() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClientLogging h = new ClientLogging(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Exception refused = new RuntimeException("Watch failed", new ConnectException("Connection refused"));

        h.publish(record(Level.INFO, "Watch started", null, 0));
        for (int i = 0; i < 20; i++) { // a reconnect every 250 ms for 5 s
            h.publish(record(Level.WARNING, "Watch closing with exception\nmore detail", refused, i * 250L));
        }
        h.publish(record(Level.WARNING, "Watch closing with exception\nmore detail", refused, 12_000));
        h.publish(record(Level.SEVERE, "Informer failed", null, 12_100));

        assertEquals(List.of(
                "k8spd: warning from the Kubernetes client: Watch closing with exception (ConnectException: Connection"
                        + " refused)",
                "k8spd: warning from the Kubernetes client: Watch closing with exception (ConnectException: Connection"
                        + " refused)",
                "k8spd: error from the Kubernetes client: Informer failed"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
