package io.jenkins.plugins.k8sdeploy.demo;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRollout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo app's tracks as the cluster has them: the stable Deployment {@code app} and the canary Deployment
 * {@code app-canary}, each with its ready pods ({@code status.readyReplicas}) and the error rate and latency its pod
 * template claims in the annotations {@link #ERROR_RATE} and {@link #LATENCY_MS}. A Deployment that does not exist is
 * no track.
 *
 * <pre>
 * # v3 as a canary at 20% of 10 pods:
 * web         ready 8, error-rate "0.01" -> Track(demo, web, stable, 8, 0.01, 0.08)
 * web-canary  ready 2, error-rate "0.20" -> Track(demo, web, canary, 2, 0.20, 0.08)
 * </pre>
 */
public final class ClusterTracks implements MetricsSimulator.Source {
    public static final String PREFIX = "demo.k8s-progressive-delivery.jenkins.io/";
    /** The share of requests that fail, "0.01"; missing or unreadable is 0. */
    public static final String ERROR_RATE = PREFIX + "error-rate";
    /** The typical response time in milliseconds, "80"; missing or unreadable is {@link #DEFAULT_LATENCY_MS}. */
    public static final String LATENCY_MS = PREFIX + "latency-ms";
    public static final double DEFAULT_LATENCY_MS = 80;

    private final KubernetesClient client;
    private final String namespace;
    private final String app;

    public ClusterTracks(KubernetesClient client, String namespace, String app) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
    }

    @Override
    public List<MetricsSimulator.Track> read() {
        List<MetricsSimulator.Track> tracks = new ArrayList<>();
        Deployment stable = client.apps().deployments().inNamespace(namespace).withName(app).get();
        if (stable != null) {
            tracks.add(track(stable, namespace, app, "stable"));
        }
        Deployment canary = client.apps().deployments().inNamespace(namespace)
                .withName(CanaryRollout.canaryName(app)).get();
        if (canary != null) {
            tracks.add(track(canary, namespace, app, "canary"));
        }
        return tracks;
    }

    /** One Deployment as a track: its ready pods and its pod template's annotations. */
    static MetricsSimulator.Track track(Deployment d, String namespace, String app, String track) {
        Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        Map<String, String> a = d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getMetadata() == null
                || d.getSpec().getTemplate().getMetadata().getAnnotations() == null ? Map.of()
                : d.getSpec().getTemplate().getMetadata().getAnnotations();
        return new MetricsSimulator.Track(namespace, app, track, ready == null ? 0 : ready,
                number(a.get(ERROR_RATE), 0), number(a.get(LATENCY_MS), DEFAULT_LATENCY_MS) / 1000.0);
    }

    static double number(String text, double otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            double v = Double.parseDouble(text.strip());
            return Double.isFinite(v) && v >= 0 ? v : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
