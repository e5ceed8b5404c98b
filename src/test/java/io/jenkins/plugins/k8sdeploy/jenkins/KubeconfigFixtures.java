package io.jenkins.plugins.k8sdeploy.jenkins;

/** Values for configuration tests that never reach a cluster. */
final class KubeconfigFixtures {
    static final String FAKE_CA = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----";

    private KubeconfigFixtures() {}
}
