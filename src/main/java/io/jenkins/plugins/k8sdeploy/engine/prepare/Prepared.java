package io.jenkins.plugins.k8sdeploy.engine.prepare;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.k8sdeploy.engine.apply.Applier;
import io.jenkins.plugins.k8sdeploy.engine.apply.Planned;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.Manifest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link Preparation} found, as one value an engine may hand on (a canary's first deploy hands it to the rolling
 * deploy): the manifests as loaded, the namespace, the plan, a note per object whose replicas were left to an
 * autoscaler, and, once validated, the server's dry-run answer per object. Nothing in it is applied.
 */
public final class Prepared {
    private final List<Manifest> manifests;
    private final String namespace;
    private final List<Planned> plan;
    private final Map<Manifest, Planned> byManifest;
    private final Map<Planned, List<String>> notes;
    private final boolean force;
    private final Map<Planned, GenericKubernetesResource> dryRun;
    private final List<String> lines;

    Prepared(List<Manifest> manifests, String namespace, List<Planned> plan, Map<Manifest, Planned> byManifest,
            Map<Planned, List<String>> notes, boolean force, Map<Planned, GenericKubernetesResource> dryRun,
            List<String> lines) {
        this.manifests = List.copyOf(manifests);
        this.namespace = namespace;
        this.plan = List.copyOf(plan);
        this.byManifest = byManifest;
        this.notes = Map.copyOf(notes);
        this.force = force;
        this.dryRun = dryRun == null ? null : Map.copyOf(dryRun);
        this.lines = List.copyOf(lines);
    }

    /** The manifests as loaded, images set, in the order they were read. */
    public List<Manifest> manifests() {
        return manifests;
    }

    /** For namespaced objects that name none: {@link Namespaces#effective}. */
    public String namespace() {
        return namespace;
    }

    /** Every object in apply order, its kind and namespace resolved, replicas left to autoscalers taken out. */
    public List<Planned> plan() {
        return plan;
    }

    /** The objects that can be validated now: all but those waiting for a namespace or CRD of the same deploy. */
    public List<Planned> ready() {
        return plan.stream().filter(x -> !x.deferred()).toList();
    }

    /** The object of {@link #plan} made from {@code loaded}, one of {@link #manifests}. */
    public Planned planned(Manifest loaded) {
        Planned x = byManifest.get(loaded);
        if (x == null) {
            throw new IllegalArgumentException(loaded.describe() + " is not one of the prepared manifests");
        }
        return x;
    }

    /** Per object of {@link #plan}, what the plan changed about it ("replicas left to HorizontalPodAutoscaler/web"). */
    public Map<Planned, List<String>> notes() {
        return notes;
    }

    /** The server's answer per object of {@link #ready}, what would be stored; {@code null} until validated. */
    public Map<Planned, GenericKubernetesResource> dryRun() {
        return dryRun;
    }

    public boolean validated() {
        return dryRun != null;
    }

    /**
     * The lines the preparation said so far, in order (a note per autoscaled workload, then the validation's), for a
     * deploy that takes over a preparation made without logging them.
     */
    public List<String> lines() {
        return lines;
    }

    /**
     * This preparation validated: a server-side dry run of every object of {@link #ready} (forcing conflicts when the
     * request forces them or is a dry run, which shows what forcing would change). The same value when it is
     * validated already: nothing is dry-run twice.
     *
     * @throws DeployException when one object is refused; its message lists every refused object, nothing applied
     */
    public Prepared validate(KubeCluster cluster, Consumer<String> log) throws DeployException {
        if (validated()) {
            return this;
        }
        List<Planned> ready = ready();
        Map<Planned, GenericKubernetesResource> answers = Applier.validate(ready, cluster, null, force);
        String line = "Validated " + ready.size() + " objects with a server-side dry run"
                + (ready.size() < plan.size() ? "; " + (plan.size() - ready.size()) + " wait for a namespace or CRD"
                        + " of this deploy" : "") + ".";
        log.accept(line);
        List<String> said = new ArrayList<>(lines);
        said.add(line);
        return new Prepared(manifests, namespace, plan, byManifest, notes, force, answers, said);
    }

    /** Each loaded manifest to its object of {@code plan}, which lists {@code planned} in order, some replaced. */
    static Map<Manifest, Planned> byManifest(List<Planned> planned, List<Planned> plan) {
        Map<Manifest, Planned> map = new IdentityHashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            map.put(planned.get(i).manifest(), plan.get(i));
        }
        return map;
    }
}
