package io.jenkins.plugins.k8sdeploy.testbed;

import io.jenkins.plugins.k8sdeploy.demo.DemoTraffic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A steady stream of real HTTP requests through the test bed's proxy (Traefik), from a few threads at a fixed pace,
 * each answer kept: when it was sent and answered, its status and which pod (and image) answered it, as the pod
 * server names them in {@code X-Pod} and {@code X-Image}. Loopback only.
 */
public final class Load implements AutoCloseable {
    /** One request: sent and done on {@link System#nanoTime()}; status -1 when no answer came (an exception). */
    public record Response(long sent, long done, int status, String pod, String image, String error) {
        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return status + (pod == null ? "" : " from " + pod + " (" + image + ")") + (error == null ? "" : " " + error);
        }
    }

    private final URI uri;
    private final HttpClient client;
    private final List<Response> responses = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private Load(URI uri, int threads, int perSecondPerThread) {
        this.uri = uri;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecondPerThread;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> loop(interval), "load-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
        this.threads.forEach(Thread::start);
    }

    /** Starts {@code threads} threads sending GET {@code url}, each {@code perSecondPerThread} requests a second. */
    public static Load start(String url, int threads, int perSecondPerThread) {
        return new Load(URI.create(url), threads, perSecondPerThread);
    }

    private void loop(long interval) {
        DemoTraffic.Pace pace = new DemoTraffic.Pace(interval);
        while (running) {
            long sent = System.nanoTime();
            Response r;
            try {
                HttpResponse<String> res = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                r = new Response(sent, System.nanoTime(), res.statusCode(),
                        res.headers().firstValue("X-Pod").orElse(null),
                        res.headers().firstValue("X-Image").orElse(null), null);
            } catch (IOException e) {
                r = new Response(sent, System.nanoTime(), -1, null, null, e.toString());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (responses) {
                responses.add(r);
                responses.notifyAll();
            }
            if (!pace.await()) {
                return;
            }
        }
    }

    /** Counts of {@code rs} by the image that answered, or by status (and error) for those not answered 200. */
    public static Map<String, Long> byImage(List<Response> rs) {
        return rs.stream().collect(Collectors.groupingBy(r -> r.ok() ? r.image() : "status " + r.status()
                + (r.error() == null ? "" : " " + r.error()), TreeMap::new, Collectors.counting()));
    }

    /** The answers to requests sent at or after {@code from} and before {@code to} (nanoTime), done so far. */
    public List<Response> sentBetween(long from, long to) {
        synchronized (responses) {
            return responses.stream().filter(r -> r.sent() >= from && r.sent() < to).toList();
        }
    }

    /** Waits until {@code n} requests sent at or after {@code from} have been answered; returns the first n. */
    public List<Response> await(long from, int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (responses) {
            while (true) {
                List<Response> got = responses.stream().filter(r -> r.sent() >= from)
                        .sorted((a, b) -> Long.compare(a.sent(), b.sent())).toList();
                if (got.size() >= n) {
                    return got.subList(0, n);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + got.size() + " of " + n + " answers within " + timeout
                            + "; last: " + (got.isEmpty() ? "none" : got.get(got.size() - 1)));
                }
                responses.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * Waits until {@code n} consecutive answers (to requests sent after this call) all satisfy {@code condition}:
     * for "the route is programmed", "the switch is visible"; returns when that began (the first of the n's send).
     */
    public long awaitSteady(Predicate<Response> condition, int n, Duration timeout) throws InterruptedException {
        long from = System.nanoTime();
        long end = from + timeout.toNanos();
        synchronized (responses) {
            while (true) {
                List<Response> got = responses.stream().filter(r -> r.sent() >= from)
                        .sorted((a, b) -> Long.compare(a.sent(), b.sent())).toList();
                int run = 0;
                for (int i = got.size() - 1; i >= 0 && condition.test(got.get(i)); i--) {
                    run++;
                }
                if (run >= n) {
                    return got.get(got.size() - run).sent();
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + n + " answers in a row as expected within " + timeout
                            + "; last ones: " + got.subList(Math.max(0, got.size() - 5), got.size()));
                }
                responses.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
