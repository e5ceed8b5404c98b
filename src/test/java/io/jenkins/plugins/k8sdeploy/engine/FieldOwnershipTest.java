package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fields another field manager owns (an autoscaler's replicas, a script's): a deploy leaves them alone or refuses,
 * as kubectl's server-side apply does, and takes them only when asked to force.
 */
@RequiresCluster
class FieldOwnershipTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {greeting: hello}
            """;

    @Test
    void aRedeployLeavesTheReplicasOfADeploymentAnAutoscalerSizesToIt(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 10,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        autoscale(c, "web", 2, 10);
        setReplicasAs(c, "kube-controller-manager", "web", 4);

        d.write("app.yaml", Deploys.deployment("web", "registry.example/web:1.1", 10, "", ""));
        DeployRecord diff = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).dryRun(true));
        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        Deployment live = live(c, "web");
        assertEquals(4, live.getSpec().getReplicas(), "the autoscaler's count, not the manifest's 10");
        assertEquals("registry.example/web:1.1", live.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage(), "the rest of the manifest is applied");
        String why = "Deployment/web: replicas left to HorizontalPodAutoscaler/web (4 now; the manifest's 10 is not"
                + " applied).";
        assertEquals(2, d.log.stream().filter(why::equals).count(), "said by the diff and the deploy:\n" + d.logText());
        assertEquals("configured; replicas left to HorizontalPodAutoscaler/web (4 now; the manifest's 10 is not"
                + " applied)", r.objects().get(0).action(), "the record says so");
        var change = diff.objects().get(0);
        assertTrue(change.action().startsWith("would change; replicas left to HorizontalPodAutoscaler/web"),
                change.action());
        assertTrue(change.diff().contains("registry.example/web:1.1"), change.diff());
        assertFalse(change.diff().contains("replicas:"), "the diff shows no replica change:\n" + change.diff());
    }

    @Test
    void anAutoscalerThatHasNotScaledYetKeepsTheLiveCountInsteadOfTheDefault(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 3,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        autoscale(c, "web", 2, 10);

        d.write("app.yaml", Deploys.deployment("web", "registry.example/web:1.1", 6, "", ""));
        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        assertEquals(3, live(c, "web").getSpec().getReplicas(),
                "neither the manifest's 6 nor the 1 a dropped field defaults to");
        assertTrue(d.logText().contains("Deployment/web: replicas left to HorizontalPodAutoscaler/web (3 now; the"
                + " manifest's 6 is not applied)."), d.logText());
    }

    @Test
    void aFieldAnotherManagerOwnsRefusesTheDeployBeforeAnythingIsApplied(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 3,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        setReplicasAs(c, "ops-script", "web", 4);
        d.write("app.yaml", Deploys.deployment("web", "registry.example/web:1.1", 3, "", "") + CONFIG);

        DeployException e = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("app.yaml"))));

        assertEquals("Deployment/web in " + c.namespace() + " (app.yaml:1) has fields another field manager owns:"
                + " .spec.replicas (field manager \"ops-script\"). Validated by a server-side dry run; nothing was"
                + " applied. To take these fields over, deploy again with forceConflicts: true (k8sDeploy) or"
                + " --force-conflicts (k8spd); to leave them to their manager, remove them from the manifest.",
                e.getMessage());
        Deployment live = live(c, "web");
        assertEquals(4, live.getSpec().getReplicas());
        assertEquals("registry.example/web:1.0", live.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
        assertNull(c.admin().configMaps().inNamespace(c.namespace()).withName("web-config").get(),
                "the ConfigMap, which has no conflict, is not applied either");
    }

    @Test
    void forceConflictsTakesTheFieldAndSaysFromWhom(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 3,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        setReplicasAs(c, "ops-script", "web", 4);
        d.write("app.yaml", Deploys.deployment("web", "registry.example/web:1.1", 3, "", "") + CONFIG);

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).forceConflicts(true));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        Deployment live = live(c, "web");
        assertEquals(3, live.getSpec().getReplicas());
        assertEquals("registry.example/web:1.1", live.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
        assertTrue(d.logText().contains("Applied Deployment/web in " + c.namespace() + ": configured; takes over"
                + " .spec.replicas (field manager \"ops-script\") (forceConflicts)."), d.logText());
        assertFalse(live.getMetadata().getManagedFields().stream().anyMatch(m -> "ops-script".equals(m.getManager())),
                "ops-script no longer owns anything");
    }

    @Test
    void theDiffNamesTheFieldItsOwnerAndHowToForce(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 3,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        setReplicasAs(c, "ops-script", "web", 4);
        d.write("app.yaml", Deploys.deployment("web", "registry.example/web:1.1", 3, "", ""));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).dryRun(true));

        assertEquals(DeployRecord.Outcome.DRY_RUN, r.outcome(), d.logText());
        assertEquals("would change; conflict: .spec.replicas (field manager \"ops-script\"); a deploy refuses it"
                + " unless forced", r.objects().get(0).action());
        assertTrue(d.logText().contains("A deploy would be refused: 1 of 1 objects have fields another field manager"
                + " owns. To take these fields over, deploy again with forceConflicts: true (k8sDeploy) or"
                + " --force-conflicts (k8spd)"), d.logText());
        assertEquals(4, live(c, "web").getSpec().getReplicas(), "a diff changes nothing");
    }

    @Test
    void whatOurOwnRollbackChangedIsNoConflictForTheNextDeploy(TestCluster c) throws Exception {
        Deploys d = new Deploys(c, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 2,
                "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).images(java.util.Map.of("web",
                "registry.example/web:1.1")));
        new RollbackEngine().rollback(c.adminConnection(), "deployment/web", c.namespace(), 0,
                java.time.Duration.ofMinutes(1), line -> { });

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).images(java.util.Map.of(
                "web", "registry.example/web:1.2")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        assertEquals("registry.example/web:1.2", live(c, "web").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getImage());
    }

    private static Deployment live(TestCluster c, String name) {
        return c.admin().apps().deployments().inNamespace(c.namespace()).withName(name).get();
    }

    private static void autoscale(TestCluster c, String name, int min, int max) {
        c.admin().resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withMinReplicas(min).withMaxReplicas(max)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                .endScaleTargetRef().endSpec().build()).inNamespace(c.namespace()).create();
    }

    /** What an autoscaler or a script does: sets the replicas, under its own field manager name. */
    private static void setReplicasAs(TestCluster c, String manager, String name, int replicas) {
        c.admin().apps().deployments().inNamespace(c.namespace()).withName(name).patch(
                new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(manager)
                        .withForce(true).build(),
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"spec\":{\"replicas\":" + replicas + "}}");
    }
}
