package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Verdict;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Measurement;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.MetricProvider;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A deterministic provider for tests: answers with the next step of its script (a {@link Measurement}, a
 * {@link RuntimeException} to throw, or {@link #NOTHING}), repeating the last step when the script runs out; or with
 * a function of the query. Records every query and time it was asked.
 */
final class ScriptedProvider implements MetricProvider {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final CanaryServices SERVICES = new CanaryServices("shop", "web", "web-canary",
            Map.of("app", "web", "pod-template-hash", "abc123"), Map.of("app", "web", "track", "canary"));

    /** A script step that makes {@code measure} return null, as a broken provider might. */
    static final Object NOTHING = new Object();

    private final Deque<Object> script;
    private final Function<String, Measurement> byQuery;
    private Object last;
    final List<String> queries = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();

    ScriptedProvider(Object... steps) {
        this.script = new ArrayDeque<>(Arrays.asList(steps));
        this.byQuery = null;
    }

    ScriptedProvider(Function<String, Measurement> byQuery) {
        this.script = new ArrayDeque<>();
        this.byQuery = byQuery;
    }

    static ScriptedProvider values(double... values) {
        return new ScriptedProvider(Arrays.stream(values).mapToObj(Measurement::of).toArray());
    }

    @Override
    public Measurement measure(String query, Instant at) {
        queries.add(query);
        times.add(at);
        if (byQuery != null) {
            return byQuery.apply(query);
        }
        Object step = script.isEmpty() ? last : script.poll();
        last = step;
        if (step instanceof RuntimeException e) {
            throw e;
        }
        return step == NOTHING ? null : (Measurement) step;
    }

    /** Polls the run as a canary would, moving time on by {@code next()}, until it is no longer RUNNING. */
    static Verdict drive(AnalysisRun run, Instant from) {
        Instant now = from;
        Verdict v = run.poll(now);
        for (int i = 0; v.status() == Status.RUNNING && i < 10_000; i++) {
            now = now.plus(run.next());
            v = run.poll(now);
        }
        return v;
    }
}
