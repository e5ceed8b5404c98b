package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a step's {@code cluster:} combines with the configured clusters: runs without Jenkins. */
class NamedClustersTest {
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBprod\n-----END CERTIFICATE-----";
    static final NamedClusters.Definition PROD = new NamedClusters.Definition("prod",
            "https://k8s.example.com:6443", CA, "prod-deployer", "shop");
    static final NamedClusters.Definition STAGING = new NamedClusters.Definition("staging",
            "https://staging.example.com:6443", null, null, null);
    static final List<NamedClusters.Definition> CONFIGURED = List.of(PROD, STAGING);

    static ClusterSettings step(String cluster, String credentialsId, String serverUrl, String ca) {
        return new ClusterSettings(credentialsId, serverUrl, ca, null, cluster);
    }

    @Test
    void aNamedClusterGivesWhereItIsItsDefaultCredentialAndItsNamespace() throws DeployException {
        NamedClusters.Resolved r = NamedClusters.resolve(step("prod", null, null, null), CONFIGURED);

        assertEquals(new NamedClusters.Resolved("prod-deployer", "https://k8s.example.com:6443", CA, null, "prod",
                "shop"), r);
    }

    @Test
    void theStepsOwnCredentialWinsOverTheClustersDefault() throws DeployException {
        NamedClusters.Resolved r = NamedClusters.resolve(step("prod", "shop-only", null, null), CONFIGURED);

        assertEquals("shop-only", r.credentialsId());
        assertEquals("https://k8s.example.com:6443", r.serverUrl());
        assertEquals(CA, r.caCertificate());
        assertEquals("shop", r.namespace(), "the step's own namespace wins later, over the connection's default");
    }

    @Test
    void theContextIsKeptForAKubeconfigCredential() throws DeployException {
        NamedClusters.Resolved r = NamedClusters.resolve(
                new ClusterSettings("prod-kubeconfig", null, null, "deployer@prod", "prod"), CONFIGURED);

        assertEquals("deployer@prod", r.context());
        assertEquals("prod-kubeconfig", r.credentialsId());
    }

    @Test
    void withoutADefaultCredentialTheStepMustGiveOne() throws DeployException {
        DeployException e = assertThrows(DeployException.class,
                () -> NamedClusters.resolve(step("staging", null, null, null), CONFIGURED));
        assertEquals("cluster 'staging' has no default credential and no credentialsId was given. Expected"
                + " credentialsId: the id of a credential for that cluster.", e.getMessage());

        NamedClusters.Resolved r = NamedClusters.resolve(step("staging", "staging-token", null, CA), CONFIGURED);
        assertEquals(CA, r.caCertificate(), "a cluster without a CA takes the step's");
        assertNull(r.namespace());
    }

    @Test
    void theStepsOwnServerUrlMayRepeatTheClustersButNotContradictIt() throws DeployException {
        assertEquals("https://k8s.example.com:6443", NamedClusters.resolve(
                step("prod", null, "https://K8S.example.com:6443/", null), CONFIGURED).serverUrl());

        DeployException e = assertThrows(DeployException.class, () -> NamedClusters.resolve(
                step("prod", null, "https://evil.example.com", null), CONFIGURED));

        assertEquals("cluster 'prod' is at https://k8s.example.com:6443 but serverUrl is https://evil.example.com."
                + " Expected serverUrl left out (the named cluster says where it is) or the same URL.", e.getMessage());
    }

    @Test
    void theStepsOwnCaCertificateMayRepeatTheClustersButNotContradictIt() throws DeployException {
        assertEquals(CA, NamedClusters.resolve(step("prod", null, null, CA.replace("\n", "\r\n")), CONFIGURED)
                .caCertificate());

        DeployException e = assertThrows(DeployException.class, () -> NamedClusters.resolve(
                step("prod", null, null, "-----BEGIN CERTIFICATE-----\nMIIBother\n-----END CERTIFICATE-----"),
                CONFIGURED));
        assertTrue(e.getMessage().startsWith("cluster 'prod' has its own caCertificate"), e.getMessage());
    }

    @Test
    void anUnknownNameListsTheConfiguredOnes() {
        DeployException e = assertThrows(DeployException.class,
                () -> NamedClusters.resolve(step("prd", null, null, null), CONFIGURED));
        assertEquals("No cluster named 'prd' is configured. Expected one of 'prod', 'staging' (Manage Jenkins >"
                + " System > Progressive delivery).", e.getMessage());

        DeployException none = assertThrows(DeployException.class,
                () -> NamedClusters.resolve(step("prod", null, null, null), List.of()));
        assertTrue(none.getMessage().startsWith("No cluster named 'prod' is configured: no clusters are"),
                none.getMessage());
    }

    @Test
    void namesAreMatchedExactly() {
        assertThrows(DeployException.class, () -> NamedClusters.resolve(step("Prod", null, null, null), CONFIGURED));
    }

    @Test
    void withoutAClusterTheStepsOwnSettingsAreUsedAndTheConfigurationIsNotRead() throws DeployException {
        NamedClusters.Resolved r = NamedClusters.resolve(
                step(null, "token", "https://k8s.example.com:6443", null), null);

        assertEquals(new NamedClusters.Resolved("token", "https://k8s.example.com:6443", null, null, null, null), r);
    }

    @Test
    void theConfigurationRefusesBadNamesDuplicatesAndNonHttpsServers() {
        assertNull(NamedClusters.problem(CONFIGURED));
        assertEquals("The cluster name 'PROD' is used twice. Expected every name once (names differing only in case"
                + " count as the same).", NamedClusters.problem(List.of(PROD,
                new NamedClusters.Definition("PROD", "https://other.example.com", null, null, null))));
        assertTrue(NamedClusters.problem(List.of(new NamedClusters.Definition("a b", "https://x.example.com", null,
                null, null))).startsWith("The cluster name 'a b' is not valid."));
        assertTrue(NamedClusters.problem(List.of(new NamedClusters.Definition("dev", "http://x.example.com", null,
                null, null))).startsWith("dev: "));
        assertEquals("dev: A named cluster needs a serverUrl, such as https://k8s.example.com:6443.",
                NamedClusters.problem(List.of(new NamedClusters.Definition("dev", " ", null, null, null))));
        assertEquals("dev: The CA certificate is not PEM. Expected text starting with -----BEGIN CERTIFICATE-----.",
                NamedClusters.problem(List.of(new NamedClusters.Definition("dev", "https://x.example.com", "abc",
                        null, null))));
    }

    @Test
    void theClustersNamespaceBecomesTheConnectionsDefault() throws DeployException {
        ClusterConnection c = ClusterConnection.ofToken("https://k8s.example.com:6443", null, "t0ken");

        assertNull(c.defaultNamespace());
        assertEquals("shop", c.withDefaultNamespace(" shop ").defaultNamespace());
        assertEquals("t0ken", c.withDefaultNamespace("shop").bearerToken());
        assertSame(c, c.withDefaultNamespace(null));
        assertEquals("shop", Requests.namespace(null, c.withDefaultNamespace("shop")));
        assertEquals("web", Requests.namespace("web", c.withDefaultNamespace("shop")));
    }

    @Test
    void aContradictingServerUrlIsNamedWithoutItsUserInfo() {
        DeployException e = assertThrows(DeployException.class, () -> NamedClusters.resolve(
                step("prod", null, "https://admin:hunter2@other.example:6443", null), CONFIGURED));

        assertEquals("cluster 'prod' is at https://k8s.example.com:6443 but serverUrl is https://other.example:6443."
                + " Expected serverUrl left out (the named cluster says where it is) or the same URL.", e.getMessage());
    }
}
