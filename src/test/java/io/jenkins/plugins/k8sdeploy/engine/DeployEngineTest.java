package io.jenkins.plugins.k8sdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel;
import io.jenkins.plugins.k8sdeploy.testbed.RequiresCluster;
import io.jenkins.plugins.k8sdeploy.testbed.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k8sDeploy's engine against the real control plane: apply, wait, roll back. */
@RequiresCluster
class DeployEngineTest {
    @TempDir
    Path dir;

    static final String SERVICE_AND_CONFIG = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {greeting: hello}
            """;

    @Test
    void firstApplyCreatesDeploymentServiceAndConfigMapAndWaitsForTheRollout(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("k8s/app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 3, "", "") + "---\n"
                        + SERVICE_AND_CONFIG);

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("k8s")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        assertEquals(List.of("ConfigMap/web-config created", "Service/web created", "Deployment/web created"),
                r.objects().stream().map(o -> o.kind() + "/" + o.name() + " " + o.action()).toList(),
                "applied in dependency order");
        var web = r.workloads().get(0);
        assertEquals("DONE", web.status());
        assertEquals(1, web.revisionAfter());
        assertEquals(List.of("web=registry.example/web:1.0"), web.imagesAfter());
        Deployment live = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get();
        assertEquals(3, live.getStatus().getAvailableReplicas());
        assertTrue(r.apiRequests() > 5 && r.apiRequests() < 200, "request count in the record: " + r.apiRequests());
        assertTrue(d.logText().contains("Deployment/web rolled out: 3 of 3 replicas updated and available."),
                d.logText());
        assertEquals(r, RecordJson.fromJson(RecordJson.toJson(r)), "the record survives JSON");
    }

    @Test
    void anImageUpdateRollsOutAndAnUnchangedObjectStaysUnchanged(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("app.yaml", Deploys.deployment("web", "registry.example/web:1.0", 2, "", "") + "---\n"
                        + SERVICE_AND_CONFIG);
        d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml"))
                .images(Map.of("web", "registry.example/web:1.1")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        var web = r.workloads().get(0);
        assertEquals(1, web.revisionBefore());
        assertEquals(2, web.revisionAfter());
        assertEquals(List.of("web=registry.example/web:1.0"), web.imagesBefore());
        assertEquals(List.of("web=registry.example/web:1.1"), web.imagesAfter());
        assertEquals(List.of("unchanged", "unchanged", "configured"),
                r.objects().stream().map(DeployRecord.ObjectChange::action).toList());
    }

    @Test
    void aBadImageFailsWithinSecondsWithThePullErrorAndIsRolledBack(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("good.yaml", Deploys.deployment("web", "registry.example/web:1.0", 2, "", ""))
                .write("bad.yaml", Deploys.deployment("web", "registry.example/web:does-not-exist", 2,
                        "k8spd.test/behaviour: image-pull-error", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("good.yaml")));

        long start = System.nanoTime();
        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("bad.yaml")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome(), d.logText());
        assertTrue(took.toSeconds() < 30, "failed fast, not at a deadline: " + took);
        assertTrue(r.failure().contains("cannot start: ErrImagePull") || r.failure().contains("cannot start: ImagePullBackOff"),
                r.failure());
        assertTrue(r.failure().contains("registry.example/web:does-not-exist"), r.failure());
        assertTrue(r.failure().contains("Recent events: ") && r.failure().contains("Failed to pull image"),
                "the pod's own events are quoted: " + r.failure());
        assertEquals(List.of("Deployment/web rolled back from revision 2 to 1 (web=registry.example/web:1.0)",
                "Rollback of Deployment/web in " + cluster.namespace() + " finished: the previous revision serves"
                        + " again."), r.rollbacks());
        Deployment live = cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").get();
        assertEquals("registry.example/web:1.0", live.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(2, live.getStatus().getAvailableReplicas());
        assertEquals("3", live.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"),
                "the rollback is a new revision made from revision 1's ReplicaSet");
        var replicaSets = cluster.admin().apps().replicaSets().inNamespace(cluster.namespace()).list().getItems();
        var serving = replicaSets.stream().filter(rs -> rs.getSpec().getReplicas() > 0).toList();
        assertEquals(1, serving.size());
        assertEquals("registry.example/web:1.0",
                serving.get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                "the previous ReplicaSet serves again");
    }

    @Test
    void crashLoopFailsFastWithItsReason(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("good.yaml", Deploys.deployment("api", "registry.example/api:1", 1, "", ""))
                .write("crash.yaml", Deploys.deployment("api", "registry.example/api:2", 1,
                        "k8spd.test/behaviour: crashloop", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("good.yaml")));

        long start = System.nanoTime();
        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("crash.yaml")));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30);
        assertTrue(r.failure().contains("is in CrashLoopBackOff after 1 restarts (last exit code 1, Error)"),
                r.failure());
        assertTrue(r.rollbacks().get(0).startsWith("Deployment/api rolled back from revision 2 to 1"), r.rollbacks().toString());
    }

    @Test
    void aNeverReadyPodHitsTheProgressDeadlineAndIsRolledBack(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("good.yaml", Deploys.deployment("slow", "registry.example/slow:1", 1, "",
                        "progressDeadlineSeconds: 4"))
                .write("stuck.yaml", Deploys.deployment("slow", "registry.example/slow:2", 1,
                        "k8spd.test/behaviour: never-ready", "progressDeadlineSeconds: 4"));
        d.deploy(DeployRequest.builder().manifests(List.of("good.yaml")));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("stuck.yaml")));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertTrue(r.failure().contains("exceeded its progress deadline (4 s)"), r.failure());
        assertTrue(r.rollbacks().get(1).endsWith("finished: the previous revision serves again."), r.rollbacks().toString());
    }

    @Test
    void noRollbackLeavesTheFailedRevisionInPlace(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("good.yaml", Deploys.deployment("web", "registry.example/web:1", 1, "", ""))
                .write("bad.yaml", Deploys.deployment("web", "registry.example/web:2", 1,
                        "k8spd.test/behaviour: image-pull-error", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("good.yaml")));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("bad.yaml")).rollbackOnFailure(false));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals(List.of(), r.rollbacks());
        assertEquals("registry.example/web:2", cluster.admin().apps().deployments().inNamespace(cluster.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void theFirstDeployHasNothingToRollBackToAndSaysSo(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("bad.yaml", Deploys.deployment("new", "registry.example/new:1", 1,
                "k8spd.test/behaviour: image-pull-error", ""));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("bad.yaml")));

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals(List.of("Deployment/new in " + cluster.namespace() + " has nothing to roll back to: this was its"
                + " first deploy."), r.rollbacks());
    }

    @Test
    void oneInvalidDocumentAmongFiveAppliesNothing(TestCluster cluster) throws Exception {
        String invalid = Deploys.deployment("broken", "registry.example/x:1", -1, "", "");
        Deploys d = new Deploys(cluster, dir).write("all.yaml", String.join("---\n",
                Deploys.deployment("a", "registry.example/a:1", 1, "", ""),
                SERVICE_AND_CONFIG,
                invalid,
                "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n"));

        DeployException e = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("all.yaml"))));

        assertTrue(e.getMessage().startsWith("Deployment/broken in " + cluster.namespace() + " (all.yaml:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("is invalid: spec.replicas: Invalid value: -1: must be greater than or"
                + " equal to 0."), e.getMessage());
        assertTrue(e.getMessage().endsWith("Validated by a server-side dry run; nothing was applied."), e.getMessage());
        var ns = cluster.admin();
        assertEquals(0, ns.apps().deployments().inNamespace(cluster.namespace()).list().getItems().size());
        assertEquals(0, ns.services().inNamespace(cluster.namespace()).list().getItems().size());
        assertEquals(0, ns.secrets().inNamespace(cluster.namespace()).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().equals("s")).count());
        assertEquals(1, ns.configMaps().inNamespace(cluster.namespace()).list().getItems().size(),
                "only the namespace's own kube-root-ca.crt");
    }

    @Test
    void aCrdAndItsCustomResourceApplyInOneBatch(TestCluster cluster) throws Exception {
        String group = "t" + cluster.namespace().replace("-", "") + ".example.com";
        Deploys d = new Deploys(cluster, dir).write("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer}
                ---
                apiVersion: %1$s/v1
                kind: Widget
                metadata: {name: w1}
                spec: {size: 3}
                """.formatted(group));
        try {
            DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("crd.yaml")));

            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
            assertEquals(List.of("CustomResourceDefinition created", "Widget created"),
                    r.objects().stream().map(o -> o.kind() + " " + o.action()).toList());
            var widget = cluster.admin().genericKubernetesResources(group + "/v1", "Widget")
                    .inNamespace(cluster.namespace()).withName("w1").get();
            assertEquals(3, ((Map<?, ?>) widget.getAdditionalProperties().get("spec")).get("size"));
        } finally {
            cluster.admin().apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
        }
    }

    @Test
    void aRestrictedCredentialIsToldWhichVerbAndNamespaceAreForbidden(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir)
                .write("app.yaml", Deploys.deployment("web", "registry.example/web:1", 1, "", ""));

        DeployException e = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")), cluster.deployerConnection()));

        assertTrue(e.getMessage().startsWith("Deployment/web in " + cluster.namespace() + " (app.yaml:1) is"
                + " forbidden: deployments.apps \"web\" is forbidden: User \"deployer\" cannot patch resource"
                + " \"deployments\" in API group \"apps\" in the namespace \"" + cluster.namespace() + "\"."),
                e.getMessage());
    }

    @Test
    void aDeploymentScaledBySomeoneElseDuringTheWaitStillCompletes(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1", 2,
                "", "").replace("    metadata:\n      labels:", "    metadata:\n      annotations:"
                + " {k8spd.test/ready-after: 3s}\n      labels:"));
        Thread scaler = new Thread(() -> {
            try {
                Thread.sleep(1000);
                cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").scale(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        scaler.start();

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")));
        scaler.join();

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        assertTrue(r.workloads().get(0).message().endsWith("of 4 replicas updated and available"),
                r.workloads().get(0).message());
    }

    @Test
    void anObjectDeletedDuringTheWaitFailsTheDeploy(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("app.yaml", Deploys.deployment("web", "registry.example/web:1", 1,
                "k8spd.test/behaviour: never-ready", ""));
        Thread deleter = new Thread(() -> {
            try {
                Thread.sleep(1500);
                cluster.admin().apps().deployments().inNamespace(cluster.namespace()).withName("web").delete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        deleter.start();

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("app.yaml")).timeout(Duration.ofSeconds(60)));
        deleter.join();

        assertEquals(DeployRecord.Outcome.FAILED, r.outcome());
        assertEquals("Deployment/web in " + cluster.namespace() + " failed: was deleted while the rollout was being"
                + " watched.", r.failure());
    }

    @Test
    void refusedManifestsApplyNothing(TestCluster cluster) throws Exception {
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n");
        bomb.append("  a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (char c = 'b'; c <= 'h'; c++) {
            bomb.append("  ").append(c).append(": &").append(c).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*" + (char) (c - 1)))).append("]\n");
        }
        Deploys d = new Deploys(cluster, dir)
                .write("vars.yaml", Deploys.deployment("web", "registry.example/web:${TAG}", 1, "", "")
                        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: \"${UNDEFINED}\"}\n")
                .write("bomb.yaml", bomb.toString())
                .write("text-bomb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: text-bomb}\ndata:\n"
                        + "  x: &x \"" + "a".repeat(50_000) + "\"\n  y: ["
                        + String.join(",", java.util.Collections.nCopies(10_000, "*x")) + "]\n")
                .write("huge.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  x: \""
                        + "a".repeat(20 * 1024 * 1024) + "\"\n");

        DeployException unknown = assertThrows(DeployException.class, () -> d.deploy(DeployRequest.builder()
                .manifests(List.of("vars.yaml")).variables(Map.of("TAG", "1.0"))));
        DeployException alias = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("bomb.yaml"))));
        DeployException textBomb = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("text-bomb.yaml"))));
        DeployException huge = assertThrows(DeployException.class,
                () -> d.deploy(DeployRequest.builder().manifests(List.of("huge.yaml"))));

        assertTrue(unknown.getMessage().startsWith("Unknown variable ${UNDEFINED} in vars.yaml line 21."),
                unknown.getMessage());
        assertTrue(alias.getMessage().startsWith("bomb.yaml uses more than 50 YAML aliases"), alias.getMessage());
        assertTrue(textBomb.getMessage().startsWith("text-bomb.yaml expands through YAML aliases to more than"),
                textBomb.getMessage());
        assertTrue(huge.getMessage().startsWith("huge.yaml is larger than 3 MiB"), huge.getMessage());
        assertEquals(0, cluster.admin().apps().deployments().inNamespace(cluster.namespace()).list().getItems().size());
        assertEquals(null, cluster.admin().configMaps().inNamespace(cluster.namespace()).withName("text-bomb").get());
        assertFalse(d.logText().contains("Connected"), "refused before connecting: " + d.logText());
    }

    @Test
    void aDryRunShowsTheDiffWithSecretDataMaskedAndChangesNothing(TestCluster cluster) throws Exception {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: %s, user: app}\n";
        Deploys d = new Deploys(cluster, dir)
                .write("v1.yaml", secret.formatted("hunter2") + "---\n"
                        + Deploys.deployment("web", "registry.example/web:1", 1, "", ""))
                .write("v2.yaml", secret.formatted("correct-horse") + "---\n"
                        + Deploys.deployment("web", "registry.example/web:2", 1, "", ""));
        d.deploy(DeployRequest.builder().manifests(List.of("v1.yaml")));

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("v2.yaml")).dryRun(true));

        assertEquals(DeployRecord.Outcome.DRY_RUN, r.outcome());
        String all = d.logText() + RecordJson.toJson(r);
        assertFalse(all.contains("hunter2"), all);
        assertFalse(all.contains("correct-horse"), all);
        assertFalse(all.contains("aHVudGVyMg"), "nor base64 of it");
        String secretDiff = r.objects().stream().filter(o -> o.kind().equals("Secret")).findFirst().orElseThrow().diff();
        assertTrue(secretDiff.contains("-  password: \"***\"\n+  password: \"*** (changed)\"\n   user: \"***\""),
                secretDiff);
        String deploymentDiff = r.objects().stream().filter(o -> o.kind().equals("Deployment")).findFirst()
                .orElseThrow().diff();
        assertTrue(deploymentDiff.contains("-        image: \"registry.example/web:1\"\n"
                + "+        image: \"registry.example/web:2\""), deploymentDiff);
        assertEquals("registry.example/web:1", cluster.admin().apps().deployments().inNamespace(cluster.namespace())
                .withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    /**
     * Client-side {@code kubectl apply} keeps the whole object, stringData in plain text, in an annotation; the
     * server-side apply of a deploy rewrites that annotation with the new values. Neither copy may be shown.
     */
    @Test
    void aSecretFirstAppliedByKubectlShowsNoValueInTheAnnotationThatCopiesIt(TestCluster cluster) throws Exception {
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},"
                + "\"name\":\"db\",\"namespace\":\"" + cluster.namespace() + "\"},\"stringData\":{\"password\":"
                + "\"hunter2-first\"},\"type\":\"Opaque\"}\n";
        cluster.admin().secrets().inNamespace(cluster.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName("db")
                .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", lastApplied))
                .endMetadata().withType("Opaque").withStringData(Map.of("password", "hunter2-first")).build())
                .create();
        Deploys d = new Deploys(cluster, dir).write("secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: db, labels: {tier: backend}}\ntype: Opaque\n"
                        + "stringData: {password: horse-second}\n");

        DeployRecord dryRun = d.deploy(DeployRequest.builder().manifests(List.of("secret.yaml")).dryRun(true));
        DeployRecord applied = d.deploy(DeployRequest.builder().manifests(List.of("secret.yaml")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, applied.outcome(), d.logText());
        String all = d.logText() + RecordJson.toJson(dryRun) + RecordJson.toJson(applied)
                + HtmlReport.render(ReportModel.of(dryRun, applied));
        for (String value : List.of("hunter2-first", "horse-second")) {
            assertFalse(all.contains(value), value + " in: " + all);
            assertFalse(all.contains(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))),
                    "base64 of " + value + " in: " + all);
        }
        String diff = dryRun.objects().get(0).diff();
        assertTrue(diff.contains("kubectl.kubernetes.io/last-applied-configuration: \"***\""), diff);
        assertTrue(diff.contains("password: \"*** (changed)\""), diff);
    }

    @Test
    void statefulSetsDaemonSetsAndJobsAreWaitedForByTheirOwnRules(TestCluster cluster) throws Exception {
        Deploys d = new Deploys(cluster, dir).write("kinds.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: registry.example/db:1}]}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: agent, image: registry.example/agent:1}]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: migrate, image: registry.example/migrate:1}]
                """);

        DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("kinds.yaml")));

        assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
        assertEquals(List.of("StatefulSet/db DONE", "DaemonSet/agent DONE", "Job/migrate DONE"),
                r.workloads().stream().map(w -> w.kind() + "/" + w.name() + " " + w.status()).toList());
        assertTrue(d.logText().contains("StatefulSet/db rolled out: 2 pods ready on revision db-"), d.logText());
        assertTrue(d.logText().contains("DaemonSet/agent rolled out: 3 of 3 pods updated and available."), d.logText());
        assertTrue(d.logText().contains("Job/migrate rolled out: completed (1 succeeded)."), d.logText());
    }

    @Test
    void aCustomResourceThatOptsInIsWaitedForUntilItsConditionIsTrue(TestCluster cluster) throws Exception {
        String group = Deploys.establishCrd(cluster, "Database");
        try {
            Deploys d = new Deploys(cluster, dir).write("db.yaml", """
                    apiVersion: %s/v1
                    kind: Database
                    metadata:
                      name: orders
                      annotations: {k8s-progressive-delivery.jenkins.io/wait-for-condition: Ready}
                    spec: {size: small}
                    """.formatted(group));
            Thread operator = new Thread(() -> {
                try {
                    Thread.sleep(2000);
                    var db = cluster.admin().genericKubernetesResources(group + "/v1", "Database")
                            .inNamespace(cluster.namespace()).withName("orders");
                    var live = db.get();
                    live.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready",
                            "status", "True", "reason", "Provisioned", "message", "ready"))));
                    db.updateStatus(live);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            operator.start();

            DeployRecord r = d.deploy(DeployRequest.builder().manifests(List.of("db.yaml"))
                    .timeout(Duration.ofSeconds(60)));
            operator.join();

            assertEquals(DeployRecord.Outcome.SUCCEEDED, r.outcome(), d.logText());
            assertTrue(d.logText().contains("Waiting for Database/orders: no status yet."), d.logText());
            assertTrue(d.logText().contains("Database/orders rolled out: Ready=True."), d.logText());
        } finally {
            Deploys.deleteCrd(cluster, "Database", group);
        }
    }
}
