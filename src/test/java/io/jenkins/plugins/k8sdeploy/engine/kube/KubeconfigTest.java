package io.jenkins.plugins.k8sdeploy.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class KubeconfigTest {
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

    static String kubeconfig(String currentContext, String userBody) {
        return """
                apiVersion: v1
                kind: Config
                current-context: %s
                clusters:
                - name: prod
                  cluster:
                    server: https://prod.example:6443
                    certificate-authority-data: %s
                - name: staging
                  cluster:
                    server: https://staging.example:6443/
                    insecure-skip-tls-verify: true
                contexts:
                - name: prod
                  context: {cluster: prod, user: robot, namespace: shop}
                - name: staging
                  context: {cluster: staging, user: robot}
                users:
                - name: robot
                  user:
                %s
                """.formatted(currentContext, b64(CA), userBody.indent(4).stripTrailing());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void currentContextGivesServerCaTokenAndNamespace() throws DeployException {
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), null);

        assertEquals("https://prod.example:6443", c.serverUrl());
        assertEquals(CA, c.caCertificatePem());
        assertEquals("s3cret", c.bearerToken());
        assertEquals("shop", c.defaultNamespace());
        assertFalse(c.insecureSkipTlsVerify());
    }

    @Test
    void namedContextWinsOverCurrentContext() throws DeployException {
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), "staging");

        assertEquals("https://staging.example:6443", c.serverUrl(), "trailing slash dropped");
        assertTrue(c.insecureSkipTlsVerify());
        assertNull(c.defaultNamespace());
    }

    @Test
    void clientCertificateDataIsDecoded() throws DeployException {
        String user = "client-certificate-data: " + b64(CA) + "\nclient-key-data: " + b64("KEY");
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", user), null);

        assertEquals("client certificate", c.authKind());
        assertEquals("KEY", c.clientKeyPem());
    }

    @Test
    void unknownContextIsNamedWithTheOnesThatExist() {
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", "token: x"), "qa"));

        assertEquals("The kubeconfig has no context named 'qa'. It has: 'prod', 'staging'.", e.getMessage());
    }

    @Test
    void execPluginsAreRefusedBecauseTheyRunCommandsOnTheController() {
        String user = "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws\n  args: [eks, get-token]";
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", user), null));

        assertTrue(e.getMessage().startsWith("The kubeconfig's user 'robot' gets its credentials by running a command"
                + " (exec: aws)."), e.getMessage());
    }

    @Test
    void filesOnTheControllerAreRefused() {
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", "tokenFile: /var/lib/jenkins/secrets/master.key"), null));

        assertTrue(e.getMessage().contains("reads its token from the file '/var/lib/jenkins/secrets/master.key' on the"
                + " Jenkins controller, which is refused"), e.getMessage());
    }

    @Test
    void aParseErrorDoesNotQuoteTheKubeconfig() {
        String broken = "users:\n- name: robot\n  user: {token: hunter2: oops}\n";
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(broken, null));

        assertTrue(e.getMessage().startsWith("The kubeconfig is not valid YAML"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsFieldNotShown() {
        String config = kubeconfig("prod", "token: x").replace("insecure-skip-tls-verify: true",
                "insecure-skip-tls-verify: s3cr3t-pasted-here");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null));

        assertEquals("The kubeconfig's field clusters[1].cluster.insecure-skip-tls-verify has the wrong type (its value"
                + " is not shown). Expected a kubeconfig file with contexts, clusters and users.", e.getMessage());
    }

    @Test
    void jsonIndentedWithTabsIsReadAndItsErrorsDoNotQuoteIt() throws DeployException {
        String json = "{\n\t\"apiVersion\": \"v1\", \"kind\": \"Config\",\n\t\"clusters\": [{\"name\": \"c\","
                + " \"cluster\": {\"server\": \"https://c.example:6443\"}}],\n\t\"users\": [{\"name\": \"u\","
                + " \"user\": {\"token\": \"t0k3n\"}}],\n\t\"contexts\": [{\"name\": \"x\", \"context\":"
                + " {\"cluster\": \"c\", \"user\": \"u\"}}]\n}\n";

        assertEquals("https://c.example:6443", Kubeconfig.connection(json, null).serverUrl());
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(json.replace("\"t0k3n\"", "hunter2"), null));
        assertEquals("The kubeconfig is not valid JSON (line 4).", e.getMessage());
    }

    /** 100 kB of text: one 50,000-character value used 10,000 times is 500 million characters once read. */
    @Test
    void aliasesThatExpandPastTheLimitAreRefusedBeforeTheKubeconfigIsRead() {
        String bomb = "x: &x \"" + "a".repeat(50_000) + "\"\nbomb: [" + String.join(",", Collections.nCopies(10_000, "*x"))
                + "]\n" + kubeconfig("prod", "token: x");

        DeployException e = assertThrows(DeployException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Kubeconfig.connection(bomb, null)));

        assertEquals("The kubeconfig expands through YAML aliases to more than 4194304 characters (line 2), the mark"
                + " of an alias bomb (\"billion laughs\"), so it was not read.", e.getMessage());
    }

    @Test
    void plainHttpServersAreRefused() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443", "http://prod.example:8080");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null));

        assertEquals("The Kubernetes API server URL 'http://prod.example:8080' is not an https URL with a host."
                + " Expected one such as https://k8s.example.com:6443.", e.getMessage());
    }

    @Test
    void aServerUrlWithCredentialsInItIsRefusedWithoutRepeatingThem() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443",
                "https://admin:hunter2@prod.example:6443");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null));

        assertEquals("The Kubernetes API server URL for prod.example has a user name or password in it (before '@')."
                + " Put the credentials in a Jenkins credential or the kubeconfig user instead; the URL is written to"
                + " logs and records.", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void toStringNamesTheServerButNeverTheSecret() throws DeployException {
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), null);

        assertEquals("ClusterConnection[https://prod.example:6443, token]", c.toString());
    }
}
