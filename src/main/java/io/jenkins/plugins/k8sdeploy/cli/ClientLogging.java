package io.jenkins.plugins.k8sdeploy.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the libraries under k8spd log (fabric8's client and informers, through SLF4J to java.util.logging) as a
 * person at a terminal or a CI log wants it: warnings and errors only, one line each, no stack trace, and the same line
 * at most once every {@link #REPEAT_AFTER_MS} ms, so an API server outage shows one line per reconnect instead of
 * screens of traces. k8spd's own output does not go through here.
 */
final class ClientLogging extends Handler {
    static final long REPEAT_AFTER_MS = 10_000;

    private final PrintStream out;
    private String lastLine;
    private long lastAt;

    ClientLogging(PrintStream out) {
        this.out = out;
        setLevel(Level.WARNING);
    }

    /** Replaces the JVM's console handler with this one, writing to standard error. */
    static void install() {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new ClientLogging(System.err));
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (r == null || !isLoggable(r)) {
            return;
        }
        String message = r.getMessage() == null ? "" : r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0) {
            try {
                message = java.text.MessageFormat.format(message, r.getParameters());
            } catch (IllegalArgumentException e) {
                // the pattern is not a MessageFormat one: keep it as it is
            }
        }
        message = firstLine(message);
        if (r.getThrown() != null) {
            Throwable root = r.getThrown();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message += " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())) + ")";
        }
        String source = r.getLoggerName() == null ? "" : r.getLoggerName();
        String line = "k8spd: " + (r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning") + " from "
                + (source.startsWith("io.fabric8") ? "the Kubernetes client" : source) + ": " + message;
        long now = r.getMillis();
        if (line.equals(lastLine) && now - lastAt < REPEAT_AFTER_MS) {
            return;
        }
        lastLine = line;
        lastAt = now;
        out.println(line);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
