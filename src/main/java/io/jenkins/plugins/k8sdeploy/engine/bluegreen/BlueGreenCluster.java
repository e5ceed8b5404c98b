package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.kube.ResourceKind;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.rollout.CompletionRules;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutStatus;
import io.jenkins.plugins.k8sdeploy.engine.rollout.RolloutWatch;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What blue-green reads from and writes to the cluster, a few requests each; no state. */
final class BlueGreenCluster {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private BlueGreenCluster() {}

    static Deployment deployment(KubeCluster c, String ns, String name) throws DeployException {
        return read(c, () -> c.client().apps().deployments().inNamespace(ns).withName(name).get(),
                "read Deployment/" + name + " in namespace " + ns);
    }

    static Service service(KubeCluster c, String ns, String name) throws DeployException {
        return read(c, () -> c.client().services().inNamespace(ns).withName(name).get(),
                "read Service/" + name + " in namespace " + ns);
    }

    /** The colour the active Service selects now, or {@code null} (no such Service, or no colour yet). */
    static String activeColour(KubeCluster c, BlueGreenTarget t) throws DeployException {
        Service s = service(c, t.namespace(), t.activeService());
        return s == null || s.getSpec() == null ? null : Colours.colourOf(s.getSpec().getSelector());
    }

    /**
     * Whether a colour can take traffic: kubectl's rolled-out rule, and at least one replica (a colour scaled to zero
     * is rolled out by that rule but serves nothing).
     */
    static RolloutStatus availability(Deployment d) {
        if (d == null) {
            return RolloutStatus.failed("does not exist");
        }
        if (replicas(d) == 0) {
            // Whether or not its controller has seen the change yet: what matters is that it serves nothing.
            return RolloutStatus.progressing("scaled to 0 replicas");
        }
        return CompletionRules.deployment(d);
    }

    static int replicas(Deployment d) {
        if (d == null) {
            return 0;
        }
        Integer r = d.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    static String annotation(Deployment d, String key) {
        return d == null || d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(key);
    }

    static boolean hasServed(Deployment d) {
        return "true".equals(annotation(d, Colours.HAS_SERVED));
    }

    static Instant scaleDownAt(Deployment d) {
        String v = annotation(d, Colours.SCALE_DOWN_AT);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // unreadable: treat as due, like an expired one
        }
    }

    static String rfc3339(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The pods of the Deployment's current revision (its newest ReplicaSet), so older pods do not blur the view. */
    static List<Pod> newPods(KubeCluster c, Deployment d) throws DeployException {
        String ns = d.getMetadata().getNamespace();
        Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
        String revision = d.getMetadata().getAnnotations() == null ? null
                : d.getMetadata().getAnnotations().get(REVISION);
        List<ReplicaSet> sets = read(c, () -> c.client().apps().replicaSets().inNamespace(ns).withLabels(selector)
                .list().getItems(), "list the ReplicaSets of Deployment/" + d.getMetadata().getName());
        ReplicaSet current = sets.stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
                        .stream().anyMatch(o -> Objects.equals(o.getUid(), d.getMetadata().getUid())))
                .filter(rs -> revision != null && rs.getMetadata().getAnnotations() != null
                        && revision.equals(rs.getMetadata().getAnnotations().get(REVISION)))
                .max(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
                .orElse(null);
        String hash = current == null || current.getMetadata().getLabels() == null ? null
                : current.getMetadata().getLabels().get("pod-template-hash");
        if (hash == null) {
            return List.of();
        }
        Map<String, String> labels = new HashMap<>(selector);
        labels.put("pod-template-hash", hash);
        return read(c, () -> c.client().pods().inNamespace(ns).withLabels(labels).list().getItems(),
                "list the pods of Deployment/" + d.getMetadata().getName());
    }

    /** Why the first pod that is not ready is not, with its recent events; empty when every pod is ready. */
    static String notReady(KubeCluster c, List<Pod> pods) {
        for (Pod p : pods) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            PodCondition ready = p.getStatus() == null || p.getStatus().getConditions() == null ? null
                    : p.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst()
                            .orElse(null);
            if (ready == null || !"True".equals(ready.getStatus())) {
                String phase = p.getStatus() == null ? "unknown" : p.getStatus().getPhase();
                String why = ready == null ? "phase " + phase
                        : Objects.toString(ready.getReason(), "Ready=" + ready.getStatus())
                                + (ready.getMessage() == null ? "" : ": " + ready.getMessage());
                return "pod " + p.getMetadata().getName() + " is not ready (" + why + ")" + recentEvents(c, p);
            }
        }
        return "";
    }

    /** The pod's last few events: ". Recent events: Failed: ...; BackOff: ...", or "". */
    static String recentEvents(KubeCluster c, Pod pod) {
        return RolloutWatch.recentEvents(c.client(), pod);
    }

    /**
     * What the Service's EndpointSlices list, judged against the pods of {@code colour}.
     *
     * @param ok every address is a pod of the colour, and every ready pod of the colour is listed (at least one)
     * @param detail for the log: "3 addresses, all pods of green", or the addresses that are not
     */
    record Endpoints(boolean ok, int addresses, String detail) {}

    static Endpoints endpoints(KubeCluster c, String ns, String service, String colour) throws DeployException {
        List<EndpointSlice> slices = read(c, () -> c.client().discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel(SERVICE_NAME_LABEL, service).list().getItems(),
                "list the EndpointSlices of Service/" + service);
        List<Pod> pods = read(c, () -> c.client().pods().inNamespace(ns).withLabel(Colours.COLOUR, colour).list()
                .getItems(), "list the pods of colour " + colour);
        Set<String> colourIps = new LinkedHashSet<>();
        Set<String> readyIps = new LinkedHashSet<>();
        for (Pod p : pods) {
            if (p.getStatus() != null && p.getStatus().getPodIP() != null) {
                colourIps.add(p.getStatus().getPodIP());
                if (p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream()
                                .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()))) {
                    readyIps.add(p.getStatus().getPodIP());
                }
            }
        }
        Set<String> listed = new LinkedHashSet<>();
        Map<String, String> others = new TreeMap<>();
        int total = 0;
        int ready = 0;
        for (EndpointSlice s : slices) {
            for (Endpoint e : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
                boolean isReady = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
                for (String address : e.getAddresses()) {
                    total++;
                    listed.add(address);
                    if (!colourIps.contains(address)) {
                        others.put(address, e.getTargetRef() == null ? "?" : e.getTargetRef().getName());
                    } else if (isReady) {
                        ready++;
                    }
                }
            }
        }
        if (!others.isEmpty()) {
            List<String> list = new ArrayList<>();
            others.forEach((ip, pod) -> list.add(ip + " (pod " + pod + ")"));
            return new Endpoints(false, total, "they list " + others.size() + " address(es) of pods that are not "
                    + colour + ": " + String.join(", ", list));
        }
        if (ready == 0) {
            return new Endpoints(false, total, "they list no ready address of a " + colour + " pod yet");
        }
        Set<String> missing = new LinkedHashSet<>(readyIps);
        missing.removeAll(listed);
        if (!missing.isEmpty()) {
            return new Endpoints(false, total, "they list " + ready + " of the " + readyIps.size() + " ready " + colour
                    + " pods so far");
        }
        return new Endpoints(true, total, total + " address(es), all of " + colour + " pods");
    }

    /** One merge patch: the Service's selector names {@code colour}. */
    static void select(KubeCluster c, String ns, String service, String colour) throws DeployException {
        c.mergePatch(ResourceKind.SERVICE, ns, service, Map.of("spec", Map.of("selector", Map.of(Colours.COLOUR,
                colour))));
    }

    /** Sets the replica count and, when asked, removes the scale-down time, in one merge patch. */
    static void scale(KubeCluster c, String ns, String deployment, int replicas, boolean clearScaleDown)
            throws DeployException {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("spec", Map.of("replicas", replicas));
        if (clearScaleDown) {
            Map<String, Object> annotations = new HashMap<>();
            annotations.put(Colours.SCALE_DOWN_AT, null);
            patch.put("metadata", Map.of("annotations", annotations));
        }
        c.mergePatch(ResourceKind.DEPLOYMENT, ns, deployment, patch);
    }

    /** Sets (or with {@code null} removes) annotations of a Deployment in one merge patch. */
    static void annotate(KubeCluster c, String ns, String deployment, Map<String, String> annotations)
            throws DeployException {
        c.mergePatch(ResourceKind.DEPLOYMENT, ns, deployment, Map.of("metadata", Map.of("annotations",
                new HashMap<>(annotations))));
    }

    /**
     * Scales to zero every colour of the app whose scale-down time has passed and that is not active (nor
     * {@code except}), removing its annotation. Does nothing when no colour is active, so a half-set-up app never
     * loses its pods.
     *
     * @return one SCALE_DOWN event per colour scaled down
     */
    static List<StrategyEvent> scaleDownExpired(KubeCluster c, BlueGreenTarget t, String except, Clock clock,
            Consumer<String> log) throws DeployException {
        String active = activeColour(c, t);
        if (active == null) {
            return List.of();
        }
        List<StrategyEvent> events = new ArrayList<>();
        Instant now = clock.instant();
        for (String colour : List.of(Colours.BLUE, Colours.GREEN)) {
            if (colour.equals(active) || colour.equals(except)) {
                continue;
            }
            String name = Colours.deploymentName(t.app(), colour);
            Deployment d = deployment(c, t.namespace(), name);
            Instant at = scaleDownAt(d);
            if (at == null || at.isAfter(now)) {
                continue;
            }
            int had = replicas(d);
            scale(c, t.namespace(), name, 0, true);
            String line = "Scaled " + colour + " (Deployment/" + name + ") from " + had + " to 0 replicas: its"
                    + " scale-down time " + rfc3339(at) + " has passed and " + active + " serves.";
            log.accept(line);
            events.add(new StrategyEvent(now, StrategyEvent.Type.SCALE_DOWN, null, line));
        }
        return events;
    }

    private static <T> T read(KubeCluster c, Supplier<T> call, String what) throws DeployException {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw KubeClients.explain(e, c.connection(), what);
        }
    }
}
