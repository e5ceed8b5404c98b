package io.jenkins.plugins.k8sdeploy.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What the demo prints: every line with the time since the demo started ({@code [ +12.3s]}), each phase announced
 * with its number and timed, and a table of the phases at the end. Safe to call from several threads (the approval
 * runs beside the canary).
 */
final class Console {
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long start;
    private final List<DemoPhase> phases = new ArrayList<>();
    private final int total;
    private int number;
    private long phaseStart;

    /**
     * @param earlier phases that ran before this JVM (bin/demo's test bed and build), counted first
     * @param total how many phases there are in all, earlier ones included
     * @param startedBefore how long before now the demo started (bin/demo started it before this JVM); the stamps
     *     count from then
     */
    Console(PrintStream out, LongSupplier nanos, List<DemoPhase> earlier, int total, Duration startedBefore) {
        this.out = out;
        this.nanos = nanos;
        this.start = nanos.getAsLong() - startedBefore.toNanos();
        this.phases.addAll(earlier);
        this.number = earlier.size();
        this.total = total;
    }

    /** One line, stamped with the time since the start. */
    synchronized void line(String text) {
        String stamp = String.format(Locale.ROOT, "[demo %6.1fs] ", seconds(nanos.getAsLong() - start));
        for (String l : text.split("\n", -1)) {
            out.println(stamp + l);
        }
        out.flush();
    }

    /** A line without a stamp (headings, the summary). */
    synchronized void plain(String text) {
        out.println(text);
        out.flush();
    }

    /** Starts the next phase (ending the one before). */
    synchronized void phase(String name) {
        end();
        number++;
        phases.add(new DemoPhase(name, -1));
        phaseStart = nanos.getAsLong();
        plain("");
        plain("== " + number + "/" + total + " " + name);
    }

    /** Ends the running phase, if any, and says how long it took. */
    synchronized void end() {
        if (!phases.isEmpty() && phases.get(phases.size() - 1).seconds() < 0) {
            DemoPhase p = phases.remove(phases.size() - 1);
            double s = seconds(nanos.getAsLong() - phaseStart);
            phases.add(new DemoPhase(p.name(), s));
            line(p.name() + ": done in " + format(s));
        }
    }

    synchronized List<DemoPhase> phases() {
        return List.copyOf(phases);
    }

    /** The phase table: each phase's time and the total. */
    synchronized void summary() {
        end();
        int width = phases.stream().mapToInt(p -> p.name().length()).max().orElse(10);
        plain("");
        plain("Phase timings:");
        double sum = 0;
        for (DemoPhase p : phases) {
            sum += Math.max(0, p.seconds());
            plain(String.format(Locale.ROOT, "  %-" + width + "s  %9s", p.name(), format(Math.max(0, p.seconds()))));
        }
        plain(String.format(Locale.ROOT, "  %-" + width + "s  %9s", "total", format(sum))
                + String.format(Locale.ROOT, "   (wall clock %s)", format(seconds(nanos.getAsLong() - start))));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** {@code 4.2 s}, {@code 1m 05s}. */
    static String format(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }

    static String format(Duration d) {
        return format(d.toMillis() / 1000.0);
    }
}
