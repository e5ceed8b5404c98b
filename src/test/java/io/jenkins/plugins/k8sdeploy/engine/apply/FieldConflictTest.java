package io.jenkins.plugins.k8sdeploy.engine.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the server's 409 answer to an apply that does not force, as kube-apiserver 1.33 words it. */
class FieldConflictTest {

    static KubernetesClientException refused(int code, String reason, String... causes) {
        StatusBuilder s = new StatusBuilder().withCode(code).withReason(reason).withNewDetails().endDetails();
        for (int i = 0; i < causes.length; i += 2) {
            s.editDetails().addNewCause().withReason("FieldManagerConflict").withMessage(causes[i])
                    .withField(causes[i + 1]).endCause().endDetails();
        }
        Status status = s.build();
        return new KubernetesClientException(status);
    }

    @Test
    void eachCauseNamesTheFieldItsManagerAndTheSubresourceItCameThrough() {
        KubernetesClientException e = refused(409, "Conflict",
                "conflict with \"ops-script\" with subresource \"scale\" using apps/v1", ".spec.replicas",
                "conflict with \"kubectl-edit\" using apps/v1", ".metadata.labels.tier",
                "conflict with \"helm\"", ".spec.template.spec.containers[name=\"web\"].image");

        List<FieldConflict> conflicts = FieldConflict.of(e);

        assertEquals(List.of(new FieldConflict(".spec.replicas", "ops-script", "scale"),
                new FieldConflict(".metadata.labels.tier", "kubectl-edit", null),
                new FieldConflict(".spec.template.spec.containers[name=\"web\"].image", "helm", null)), conflicts);
        assertEquals(".spec.replicas (field manager \"ops-script\", through the scale subresource),"
                + " .metadata.labels.tier (field manager \"kubectl-edit\"),"
                + " .spec.template.spec.containers[name=\"web\"].image (field manager \"helm\")",
                FieldConflict.describe(conflicts));
    }

    @Test
    void ourOwnEarlierUpdatesAreNotAConflictWithAnyoneElse() {
        KubernetesClientException e = refused(409, "Conflict",
                "conflict with \"k8s-progressive-delivery\" using apps/v1", ".spec.replicas");

        assertEquals(List.of(), FieldConflict.of(e));
        assertEquals(List.of(new FieldConflict(".spec.replicas", "k8s-progressive-delivery", null)),
                FieldConflict.all(e));
    }

    @Test
    void otherRefusalsAreNoConflicts() {
        assertEquals(List.of(), FieldConflict.all(refused(409, "AlreadyExists")));
        assertEquals(List.of(), FieldConflict.all(refused(422, "Invalid", "conflict with \"x\"", ".spec")));
        assertEquals(List.of(), FieldConflict.all(new KubernetesClientException("connection refused")));
    }
}
