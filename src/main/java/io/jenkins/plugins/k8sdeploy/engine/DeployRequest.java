package io.jenkins.plugins.k8sdeploy.engine;

import java.util.List;

/**
 * What a deploy was asked to do, as plain data: the same value comes from a pipeline step, a freestyle builder or
 * the command line.
 *
 * @param manifests manifest sources as the user wrote them (files, directories, globs); never empty
 * @param namespace the namespace to deploy into, or {@code null} for the connection's default
 */
public record DeployRequest(List<String> manifests, String namespace) {

    public DeployRequest {
        manifests = List.copyOf(manifests);
    }
}
