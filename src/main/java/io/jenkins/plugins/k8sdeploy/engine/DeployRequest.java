package io.jenkins.plugins.k8sdeploy.engine;

import io.jenkins.plugins.k8sdeploy.engine.prepare.Preparation;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a deploy was asked to do, as plain data: the same value comes from a pipeline step, a freestyle builder or
 * the command line. Build one with {@link #builder()}.
 *
 * @param manifests files, directories or globs, relative to where manifests are read from
 * @param inlineYaml manifests given as text, or {@code null}
 * @param namespace for namespaced objects that name none; {@code null} for the connection's default, else "default"
 *     ({@code Namespaces.effective})
 * @param pinNamespace when true, a manifest naming another namespace is an error, and so is a cluster-scoped object
 *     whose kind {@code allowClusterScoped} does not list
 * @param allowClusterScoped kinds (such as {@code CustomResourceDefinition}) a pinned deploy may apply although they
 *     belong to no namespace; empty when unpinned
 * @param variables the only values {@code ${NAME}} may take; {@code null} leaves manifests as written
 * @param images container name to image, applied to every pod template
 * @param timeout how long to wait for workloads to roll out
 * @param rollbackOnFailure restore the previous revision of each failed workload
 * @param dryRun validate and show what would change; apply nothing
 * @param forceConflicts take over fields another field manager owns (kubectl's {@code --force-conflicts}); without
 *     it such a conflict refuses the deploy before anything is applied
 *
 * <p>Serializable (plain values only, never a credential), so a step that waits before it applies can keep it.
 */
public record DeployRequest(
        List<String> manifests,
        String inlineYaml,
        String namespace,
        boolean pinNamespace,
        List<String> allowClusterScoped,
        Map<String, String> variables,
        Map<String, String> images,
        Duration timeout,
        boolean rollbackOnFailure,
        boolean dryRun,
        boolean forceConflicts) implements Serializable, Preparation.Request {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public DeployRequest {
        manifests = List.copyOf(manifests);
        allowClusterScoped = allowClusterScoped == null ? List.of() : List.copyOf(allowClusterScoped);
        variables = variables == null ? null : Map.copyOf(variables);
        images = images == null ? Map.of() : Map.copyOf(images);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** This request with {@code variables} for substitution instead (null: manifests are applied as written). */
    public DeployRequest withVariables(Map<String, String> variables) {
        return new DeployRequest(manifests, inlineYaml, namespace, pinNamespace, allowClusterScoped, variables,
                images, timeout, rollbackOnFailure, dryRun, forceConflicts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: no inline YAML, namespace unpinned, no substitution, no image overrides, 10 min, roll back, conflicts
     * with other field managers refused.
     */
    public static final class Builder {
        private List<String> manifests = List.of();
        private String inlineYaml;
        private String namespace;
        private boolean pinNamespace;
        private List<String> allowClusterScoped = List.of();
        private Map<String, String> variables;
        private Map<String, String> images = Map.of();
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean rollbackOnFailure = true;
        private boolean dryRun;
        private boolean forceConflicts;

        public Builder manifests(List<String> manifests) {
            this.manifests = manifests;
            return this;
        }

        public Builder inlineYaml(String inlineYaml) {
            this.inlineYaml = inlineYaml;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder pinNamespace(boolean pinNamespace) {
            this.pinNamespace = pinNamespace;
            return this;
        }

        /** Kinds a pinned deploy may apply although they are cluster-scoped (only with {@link #pinNamespace}). */
        public Builder allowClusterScoped(List<String> kinds) {
            this.allowClusterScoped = kinds;
            return this;
        }

        public Builder variables(Map<String, String> variables) {
            this.variables = variables;
            return this;
        }

        public Builder images(Map<String, String> images) {
            this.images = images;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder rollbackOnFailure(boolean rollbackOnFailure) {
            this.rollbackOnFailure = rollbackOnFailure;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder forceConflicts(boolean forceConflicts) {
            this.forceConflicts = forceConflicts;
            return this;
        }

        public DeployRequest build() {
            return new DeployRequest(manifests, inlineYaml, namespace, pinNamespace, allowClusterScoped, variables,
                    images, timeout, rollbackOnFailure, dryRun, forceConflicts);
        }
    }
}
