package io.jenkins.plugins.k8sdeploy.cli;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.k8sdeploy.engine.StopRequest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * What k8spd does when its CI job is cancelled (GitHub Actions, GitLab CI and Jenkins agents send SIGINT or SIGTERM):
 * the same as a stopped Jenkins step. The first signal asks the running rollout to stop ({@link StopRequest}); the
 * rollout finishes the request it is making, rolls back or aborts (or is left, with {@code --on-cancel leave}), the
 * record is written, and the process exits 128 + the signal's number (143 for SIGTERM, 130 for SIGINT). A shutdown
 * hook holds the JVM until then, for at most {@link #GRACE}. A second signal exits at once, saying what is left.
 *
 * <p>The signal handlers use {@code sun.misc.Signal} (module jdk.unsupported): a shutdown hook alone cannot tell a
 * second signal from the first, as the JVM ignores signals while its hooks run.
 */
final class Cancellation {
    /** How long the shutdown hook waits for the stop to finish and the record to be written. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private static final StopRequest STOP = new StopRequest();
    private static final AtomicReference<String> SIGNAL = new AtomicReference<>();
    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** Whether the running command stops on {@link #STOP}; other commands end as the JVM's own handler ends them. */
    private static volatile boolean handled;
    private static volatile Supplier<String> left = () -> "nothing known yet";
    /** What the command does on a signal, for the line that acknowledges it ("rolling back"). */
    private static volatile String onCancel = "stopping";

    private Cancellation() {}

    /** Called once by {@link Main#main}: the real process, never a test calling {@link Main#run}. */
    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(Cancellation::shutdown, "k8spd stop on cancel"));
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), Cancellation::signalled);
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal for itself (-Xrs) or it is ignored here (nohup): its default stands.
            }
        }
    }

    /**
     * The stop a command that can stop cleanly looks at. {@code whatItDoes} says what it does on a signal ("rolling
     * back"); {@code whatIsLeft} says, at any moment, what a forced exit would leave behind.
     */
    static StopRequest handle(String whatItDoes, Supplier<String> whatIsLeft) {
        onCancel = whatItDoes;
        left = whatIsLeft;
        handled = true;
        return STOP;
    }

    /** What a forced exit would leave behind, now. */
    static void left(Supplier<String> whatIsLeft) {
        left = whatIsLeft;
    }

    /** The command has ended and written its record; returns true when a signal ended it (the hook exits). */
    static boolean finished() {
        DONE.countDown();
        return SIGNAL.get() != null;
    }

    @SuppressFBWarnings(value = "DM_EXIT", justification = "the command line's own signal handler: exiting is its job,"
            + " as the JVM's default handler would")
    private static void signalled(Signal signal) {
        String name = "SIG" + signal.getName();
        int code = 128 + signal.getNumber();
        if (SIGNAL.compareAndSet(null, name)) {
            STOP.request("cancelled by " + name);
            if (handled) {
                System.err.println("k8spd: " + name + " received: " + onCancel + ", then writing the record; a second"
                        + " signal exits at once.");
            }
            System.exit(code); // runs the shutdown hook, which waits for the stop
        } else {
            System.err.println("k8spd: " + name + " again: exiting now, before the stop finished. Left: "
                    + whatIsLeft() + ".");
            Runtime.getRuntime().halt(code);
        }
    }

    private static void shutdown() {
        if (!handled || DONE.getCount() == 0) {
            return;
        }
        STOP.request("cancelled: the process was asked to exit");
        try {
            if (!DONE.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("k8spd: the stop did not finish within " + GRACE.toSeconds() + " s; exiting."
                        + " Left: " + whatIsLeft() + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String whatIsLeft() {
        try {
            return left.get();
        } catch (RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }
}
