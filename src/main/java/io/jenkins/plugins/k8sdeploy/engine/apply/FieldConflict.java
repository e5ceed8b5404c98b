package io.jenkins.plugins.k8sdeploy.engine.apply;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field of a live object that another field manager owns, as a server-side apply that does not force reports it:
 * the server answers 409 Conflict with one cause per field, "conflict with \"ops-script\" with subresource \"scale\"
 * using apps/v1" on field ".spec.replicas".
 *
 * @param field ".spec.replicas"
 * @param manager the field manager that owns it: "ops-script", "kube-controller-manager"
 * @param subresource the subresource it was written through ("scale"), or {@code null}
 */
public record FieldConflict(String field, String manager, String subresource) {
    private static final Pattern CAUSE = Pattern.compile("conflict with \"([^\"]*)\"(?: with subresource \"([^\"]*)\")?.*",
            Pattern.DOTALL);

    /**
     * The conflicts a refused apply names with managers other than ours; empty when the refusal is something else, or
     * names only our own earlier writes (see {@link #all}).
     */
    public static List<FieldConflict> of(KubernetesClientException e) {
        return all(e).stream().filter(c -> !c.ours()).toList();
    }

    /**
     * Every conflict a refused apply names, ours included: our own patches (a canary's replica counts, a rollback's
     * template) are recorded under our manager name as updates, and the server tells those apart from our applies.
     */
    public static List<FieldConflict> all(KubernetesClientException e) {
        List<FieldConflict> conflicts = new ArrayList<>();
        var status = e.getStatus();
        if (e.getCode() != 409 || status == null || status.getDetails() == null
                || status.getDetails().getCauses() == null) {
            return conflicts;
        }
        for (StatusCause c : status.getDetails().getCauses()) {
            Matcher m = c.getMessage() == null ? null : CAUSE.matcher(c.getMessage());
            if ("FieldManagerConflict".equals(c.getReason()) && m != null && m.matches()) {
                conflicts.add(new FieldConflict(c.getField(), m.group(1), m.group(2)));
            }
        }
        return conflicts;
    }

    /** Whether our own manager wrote the field, by an update rather than an apply. */
    public boolean ours() {
        return KubeCluster.FIELD_MANAGER.equals(manager);
    }

    /** ".spec.replicas (field manager \"ops-script\", through the scale subresource)". */
    public String describe() {
        return field + " (field manager \"" + manager + "\""
                + (subresource == null ? "" : ", through the " + subresource + " subresource") + ")";
    }

    /** The conflicts of one object, joined: ".spec.replicas (field manager \"ops-script\"), ...". */
    public static String describe(List<FieldConflict> conflicts) {
        return String.join(", ", conflicts.stream().map(FieldConflict::describe).toList());
    }

    /** What the user can do about a refused deploy, for the end of its message. */
    public static final String HOW_TO_FORCE = "To take these fields over, deploy again with forceConflicts: true"
            + " (k8sDeploy) or --force-conflicts (k8spd); to leave them to their manager, remove them from the"
            + " manifest.";
}
