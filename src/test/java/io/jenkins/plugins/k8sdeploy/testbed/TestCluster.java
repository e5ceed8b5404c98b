package io.jenkins.plugins.k8sdeploy.testbed;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;

/**
 * What one test gets from the test bed: a namespace of its own (deleted after the test) and clients for the admin and
 * for the restricted deployer.
 */
public final class TestCluster {
    private final TestBed bed;
    private final String namespace;
    private final KubernetesClient admin;
    private final KubernetesClient deployer;

    TestCluster(TestBed bed, String namespace, KubernetesClient admin, KubernetesClient deployer) {
        this.bed = bed;
        this.namespace = namespace;
        this.admin = admin;
        this.deployer = deployer;
    }

    public String namespace() {
        return namespace;
    }

    /** A client in group system:masters. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A client for user "deployer" in group k8spd:deployers, which has no role until the test grants one. */
    public KubernetesClient deployer() {
        return deployer;
    }

    public ClusterConnection adminConnection() {
        return bed.admin();
    }

    public ClusterConnection deployerConnection() {
        return bed.deployer();
    }

    public TestBed bed() {
        return bed;
    }
}
