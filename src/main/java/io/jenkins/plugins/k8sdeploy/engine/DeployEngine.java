package io.jenkins.plugins.k8sdeploy.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import java.io.PrintStream;

/**
 * The one entry point every front end (pipeline step, freestyle builder, command line) calls to deploy.
 *
 * <p>Today it checks the request, connects to the cluster with the given credentials and says who answered; applying
 * manifests, waiting for the rollout and rolling back are not implemented yet, and it says so without changing anything
 * in the cluster.
 */
public final class DeployEngine {

    /**
     * Deploys the request to the cluster.
     *
     * @param log where progress lines go: short, one per phase, never a secret
     * @throws DeployException for anything the user can act on; its message is shown without a stack trace
     */
    public void deploy(DeployRequest request, ClusterConnection cluster, PrintStream log) throws DeployException {
        if (request.manifests().isEmpty()) {
            throw new DeployException("k8sDeploy needs at least one manifest: a file, a directory or a glob such as"
                    + " 'k8s/*.yaml'. None was given.");
        }
        try (KubernetesClient client = KubeClients.open(cluster)) {
            String version = KubeClients.serverVersion(client, cluster);
            log.println("Connected to " + cluster.serverUrl() + " (Kubernetes " + version + ").");
        }
        throw new DeployException("k8sDeploy cannot apply manifests yet: this version of the plugin connects to the"
                + " cluster and checks the credentials, but applying, waiting for the rollout and rolling back are not"
                + " supported yet. Nothing was changed in the cluster.");
    }
}
