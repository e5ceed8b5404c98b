package io.jenkins.plugins.k8sdeploy.demo;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MeasurementRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's users: a few threads sending GET requests through the proxy (the test bed's Traefik) at a steady pace,
 * each answer counted by the image of the pod that gave it ({@code X-Image}, as the test bed's pod server names it,
 * whatever the status: an app's own errors are its answers) or as lost (no pod answered: the proxy's 502, a refused or
 * reset connection, a timeout); the answers of the last {@link #KEPT} are kept. From the counts: how the requests were shared between versions while a
 * canary ran, next to the weight the router was given.
 *
 * <pre>{@code
 * try (DemoTraffic users = DemoTraffic.start(URI.create("http://127.0.0.1:36080/demo/"), 8, 20, clock)) {
 *     users.awaitAnswersFrom("registry.example/demo/web:1.0.0", 50, Duration.ofSeconds(30));
 *     ... run a canary ...
 *     users.shares("requests", started, finished, List.of(canaryImage, stableImage)); // a record for the report
 * }
 * }</pre>
 */
public final class DemoTraffic implements AutoCloseable {
    /** The width of a count: one point of the report's chart per bucket. */
    static final Duration BUCKET = Duration.ofSeconds(2);
    /** How long answers are kept (a Jenkins demo may serve for hours). */
    static final Duration KEPT = Duration.ofHours(1);

    /** One answer: when its request was sent, and the image that answered (or LOST). */
    private record Answer(Instant sent, String by) {}

    /** What a request no pod answered counts as. */
    static final String LOST = "lost";

    private final URI uri;
    private final Clock clock;
    private final HttpClient client;
    private final List<Thread> threads = new ArrayList<>();
    /** The answers, oldest first; guarded by itself. */
    private final ArrayDeque<Answer> answers = new ArrayDeque<>();
    /** The last answers' images (or LOST), newest last, for {@link #awaitAnswersFrom}; guarded by answers. */
    private final List<String> recent = new ArrayList<>();
    private volatile boolean running = true;

    private DemoTraffic(URI uri, int threads, int perSecondPerThread, Clock clock) {
        this.uri = uri;
        this.clock = clock;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecondPerThread;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> loop(interval), "demo-users-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    /** Starts {@code threads} threads, each sending at most {@code perSecondPerThread} GET requests a second. */
    public static DemoTraffic start(URI uri, int threads, int perSecondPerThread, Clock clock) {
        DemoTraffic t = new DemoTraffic(uri, threads, perSecondPerThread, clock);
        t.threads.forEach(Thread::start);
        return t;
    }

    public URI uri() {
        return uri;
    }

    private void loop(long interval) {
        Pace pace = new Pace(interval);
        while (running) {
            Instant sent = clock.instant();
            String answer;
            try {
                HttpResponse<Void> res = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                answer = res.headers().firstValue("X-Image").orElse(LOST);
            } catch (IOException e) {
                answer = LOST;
            } catch (InterruptedException e) {
                return;
            }
            count(sent, answer);
            if (!pace.await()) {
                return;
            }
        }
    }

    /**
     * A steady pace of one request per interval: {@link #await} sleeps until the next slot; behind (slow answers),
     * it does not burst to catch up. The tests' load ({@code testbed.Load}) keeps the same pace.
     */
    public static final class Pace {
        private final long interval;
        private long next = System.nanoTime();

        public Pace(long intervalNanos) {
            this.interval = intervalNanos;
        }

        /** Waits for the next slot; false when interrupted (the flag is set again). */
        public boolean await() {
            next += interval;
            long wait = next - System.nanoTime();
            if (wait <= 0) {
                next = System.nanoTime();
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void count(Instant sent, String answer) {
        synchronized (answers) {
            answers.addLast(new Answer(sent, answer));
            while (answers.getFirst().sent().isBefore(sent.minus(KEPT))) {
                answers.removeFirst();
            }
            recent.add(answer);
            if (recent.size() > 1000) {
                recent.subList(0, 500).clear();
            }
            answers.notifyAll();
        }
    }

    /**
     * Waits until the last {@code n} answers all came from {@code image}: the route is programmed and the app
     * answers. Throws with what came back instead when that takes longer than {@code limit}.
     */
    public void awaitAnswersFrom(String image, int n, Duration limit) throws InterruptedException, IOException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (answers) {
            recent.clear();
            while (true) {
                int size = recent.size();
                if (size >= n && recent.subList(size - n, size).stream().allMatch(image::equals)) {
                    return;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("No " + n + " answers in a row from " + image + " through " + uri
                            + " within " + limit.toSeconds() + " s; the last ones: "
                            + recent.subList(Math.max(0, size - 5), size));
                }
                answers.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * Answers to requests sent from {@code from} (included) to {@code to} (excluded), by image (or {@value #LOST}),
     * in buckets of {@link #BUCKET} counted from {@code from}.
     */
    TreeMap<Instant, Map<String, Long>> buckets(Instant from, Instant to) {
        TreeMap<Instant, Map<String, Long>> out = new TreeMap<>();
        long width = BUCKET.toMillis();
        synchronized (answers) {
            for (Answer a : answers) {
                if (!a.sent().isBefore(from) && a.sent().isBefore(to)) {
                    long n = Duration.between(from, a.sent()).toMillis() / width;
                    out.computeIfAbsent(from.plusMillis(n * width), b -> new TreeMap<>()).merge(a.by(), 1L,
                            Long::sum);
                }
            }
        }
        return out;
    }

    /**
     * The requests sent from {@code from} to {@code to} as the record of an analysis named {@code name} that judges
     * nothing: per bucket, one measurement per image in {@code images} with the share (%) of that bucket's answers
     * it gave, and one for lost requests; so the report draws each version's measured share next to the weight.
     */
    public AnalysisRecord shares(String name, Instant from, Instant to, List<String> images) {
        List<MeasurementRecord> rows = new ArrayList<>();
        Map<String, Long> total = new TreeMap<>();
        for (Map.Entry<Instant, Map<String, Long>> e : buckets(from, to).entrySet()) {
            long all = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            // the middle of the bucket, of the part of it before the end for the last one
            Instant end = e.getKey().plus(BUCKET).isAfter(to) ? to : e.getKey().plus(BUCKET);
            Instant at = e.getKey().plus(Duration.between(e.getKey(), end).dividedBy(2));
            for (String image : images) {
                rows.add(row(at, shareMetric(image), e.getValue().getOrDefault(image, 0L), all));
            }
            rows.add(row(at, shareMetric(LOST), e.getValue().getOrDefault(LOST, 0L), all));
            e.getValue().forEach((k, v) -> total.merge(k, v, Long::sum));
        }
        long all = total.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder message = new StringBuilder().append(all).append(" requests sent through ").append(uri)
                .append(", counted by the version that answered (its errors included), per ").append(BUCKET.toSeconds()).append(" s:");
        for (String image : images) {
            message.append(' ').append(version(image)).append(' ').append(total.getOrDefault(image, 0L)).append(',');
        }
        message.append(" lost ").append(total.getOrDefault(LOST, 0L));
        return new AnalysisRecord(name, Status.SUCCESSFUL, message.toString(), from, to, List.of(), null, rows);
    }

    /** The metric name of a version's share: "share from 2.0.0" (its image tag), or "share lost". */
    static String shareMetric(String image) {
        return "share " + (LOST.equals(image) ? LOST : "from " + version(image));
    }

    static String version(String image) {
        int colon = image.lastIndexOf(':');
        return colon < 0 || image.indexOf('/', colon) >= 0 ? image : image.substring(colon + 1);
    }

    private static MeasurementRecord row(Instant at, String metric, long n, long all) {
        double share = all == 0 ? 0 : 100.0 * n / all;
        return new MeasurementRecord(at, metric, n + " of " + all + " answers", List.of(share), 1, null, null);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
    }
}
