package io.jenkins.plugins.k8sdeploy.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
    /** The Jenkins plugin's policy, with insecure-skip-tls-verify not allowed (the default). */
    static final KubeconfigPolicy JENKINS = KubeconfigPolicy.jenkins(false);
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
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), null, JENKINS);

        assertEquals("https://prod.example:6443", c.serverUrl());
        assertEquals(CA, c.caCertificatePem());
        assertEquals("s3cret", c.bearerToken());
        assertEquals("shop", c.defaultNamespace());
        assertFalse(c.insecureSkipTlsVerify());
    }

    @Test
    void namedContextWinsOverCurrentContext() throws DeployException {
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), "staging",
                KubeconfigPolicy.jenkins(true));

        assertEquals("https://staging.example:6443", c.serverUrl(), "trailing slash dropped");
        assertTrue(c.insecureSkipTlsVerify());
        assertNull(c.defaultNamespace());
    }

    @Test
    void clientCertificateDataIsDecoded() throws DeployException {
        String user = "client-certificate-data: " + b64(CA) + "\nclient-key-data: " + b64("KEY");
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", user), null, JENKINS);

        assertEquals("client certificate", c.authKind());
        assertEquals("KEY", c.clientKeyPem());
    }

    @Test
    void unknownContextIsNamedWithTheOnesThatExist() {
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", "token: x"), "qa", JENKINS));

        assertEquals("The kubeconfig has no context named 'qa'. It has: 'prod', 'staging'.", e.getMessage());
    }

    @Test
    void execPluginsAreRefusedInJenkinsBecauseTheyRunCommandsOnTheController() {
        String user = "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws\n  args: [eks, get-token]";
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", user), null, JENKINS));

        assertEquals("The kubeconfig's user 'robot' gets its credentials by running a command (exec: aws). Jenkins"
                + " never runs a command a kubeconfig names on its controller: a job could name any program. Expected"
                + " a token or client certificate data in the kubeconfig, or a Secret text credential holding a token."
                + " (The k8spd command line accepts it, as kubectl does, on your own machine.)", e.getMessage());
    }

    @Test
    void filesOnTheControllerAreRefusedInJenkins() {
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(kubeconfig("prod", "tokenFile: /var/lib/jenkins/secrets/master.key"), null,
                        JENKINS));

        assertEquals("The kubeconfig's user 'robot' reads its token from the file '/var/lib/jenkins/secrets/master.key'"
                + " on the Jenkins controller, which Jenkins refuses: a job could name any of the controller's files."
                + " Expected the content inline (token, client-certificate-data, client-key-data,"
                + " certificate-authority-data).", e.getMessage());
    }

    @Test
    void aParseErrorDoesNotQuoteTheKubeconfig() {
        String broken = "users:\n- name: robot\n  user: {token: hunter2: oops}\n";
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(broken, null, JENKINS));

        assertTrue(e.getMessage().startsWith("The kubeconfig is not valid YAML"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsFieldNotShown() {
        String config = kubeconfig("prod", "token: x").replace("insecure-skip-tls-verify: true",
                "insecure-skip-tls-verify: s3cr3t-pasted-here");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null, JENKINS));

        assertEquals("The kubeconfig's field clusters[1].cluster.insecure-skip-tls-verify has the wrong type (its value"
                + " is not shown). Expected a kubeconfig file with contexts, clusters and users.", e.getMessage());
    }

    @Test
    void jsonIndentedWithTabsIsReadAndItsErrorsDoNotQuoteIt() throws DeployException {
        String json = "{\n\t\"apiVersion\": \"v1\", \"kind\": \"Config\",\n\t\"clusters\": [{\"name\": \"c\","
                + " \"cluster\": {\"server\": \"https://c.example:6443\"}}],\n\t\"users\": [{\"name\": \"u\","
                + " \"user\": {\"token\": \"t0k3n\"}}],\n\t\"contexts\": [{\"name\": \"x\", \"context\":"
                + " {\"cluster\": \"c\", \"user\": \"u\"}}]\n}\n";

        assertEquals("https://c.example:6443", Kubeconfig.connection(json, null, JENKINS).serverUrl());
        DeployException e = assertThrows(DeployException.class,
                () -> Kubeconfig.connection(json.replace("\"t0k3n\"", "hunter2"), null, JENKINS));
        assertEquals("The kubeconfig is not valid JSON (line 4).", e.getMessage());
    }

    /** 100 kB of text: one 50,000-character value used 10,000 times is 500 million characters once read. */
    @Test
    void aliasesThatExpandPastTheLimitAreRefusedBeforeTheKubeconfigIsRead() {
        String bomb = "x: &x \"" + "a".repeat(50_000) + "\"\nbomb: [" + String.join(",", Collections.nCopies(10_000, "*x"))
                + "]\n" + kubeconfig("prod", "token: x");

        DeployException e = assertThrows(DeployException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(5),
                        () -> Kubeconfig.connection(bomb, null, JENKINS)));

        assertEquals("The kubeconfig expands through YAML aliases to more than 4194304 characters (line 2), the mark"
                + " of an alias bomb (\"billion laughs\"), so it was not read.", e.getMessage());
    }

    @Test
    void plainHttpServersAreRefused() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443", "http://prod.example:8080");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null, JENKINS));

        assertEquals("The Kubernetes API server URL 'http://prod.example:8080' is not an https URL with a host."
                + " Expected one such as https://k8s.example.com:6443.", e.getMessage());
    }

    @Test
    void aServerUrlWithCredentialsInItIsRefusedWithoutRepeatingThem() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443",
                "https://admin:hunter2@prod.example:6443");
        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null, JENKINS));

        assertEquals("The Kubernetes API server URL https://prod.example:6443 has a user name or password in it"
                + " (before '@'). Put the credentials in a Jenkins credential or the kubeconfig user instead; the URL is"
                + " written to logs and records.", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void toStringNamesTheServerButNeverTheSecret() throws DeployException {
        ClusterConnection c = Kubeconfig.connection(kubeconfig("prod", "token: s3cret"), null, JENKINS);

        assertEquals("ClusterConnection[https://prod.example:6443, token]", c.toString());
    }

    @Test
    void insecureSkipTlsVerifyIsRefusedInJenkinsUnlessAnAdministratorAllowsIt() throws DeployException {
        String staging = kubeconfig("staging", "token: s3cret");

        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(staging, null, JENKINS));

        assertEquals("The kubeconfig's cluster 'staging' sets insecure-skip-tls-verify: true, so the certificate of"
                + " https://staging.example:6443 would not be checked and anyone on the way could read and change what"
                + " is sent, credentials included. Jenkins refuses it unless an administrator allows it (Manage"
                + " Jenkins > System > Progressive delivery). Expected certificate-authority-data with the cluster's"
                + " CA certificate instead.", e.getMessage());
        assertTrue(Kubeconfig.connection(staging, null, KubeconfigPolicy.jenkins(true)).insecureSkipTlsVerify());
    }

    @Test
    void theCommandLineWarnsOfInsecureSkipTlsVerifyAndConnects(@TempDir Path dir) throws DeployException {
        List<String> warnings = new ArrayList<>();
        KubeconfigPolicy cli = KubeconfigPolicy.commandLine(dir.resolve("config"), warnings::add);

        ClusterConnection c = Kubeconfig.connection(kubeconfig("staging", "token: s3cret"), null, cli);

        assertTrue(c.insecureSkipTlsVerify());
        assertEquals(List.of("The kubeconfig's cluster 'staging' sets insecure-skip-tls-verify: true, so the"
                + " certificate of https://staging.example:6443 would not be checked and anyone on the way could read"
                + " and change what is sent, credentials included. k8spd connects all the same, as kubectl does; set"
                + " certificate-authority-data to the cluster's CA certificate to have it checked."), warnings);
    }

    @Test
    void theCommandLineReadsFilesTheKubeconfigNamesRelativeToItsFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.crt"), CA);
        Files.writeString(dir.resolve("token"), "from-a-file");
        Path file = dir.resolve("config");
        String text = kubeconfig("prod", "tokenFile: token").replace("certificate-authority-data: " + b64(CA),
                "certificate-authority: ca.crt");
        Files.writeString(file, text);

        ClusterConnection c = Kubeconfig.connection(text, null, KubeconfigPolicy.commandLine(file, line -> { }));

        assertEquals("https://prod.example:6443", c.serverUrl());
        assertEquals("shop", c.defaultNamespace());
        assertEquals("kubeconfig files", c.authKind());
        assertEquals(dir.resolve("ca.crt").toString(), c.kubectlConfig().getCaCertFile());
        assertEquals("from-a-file", c.kubectlConfig().getAutoOAuthToken());
    }

    @Test
    void aPlainHttpUrlWithAPasswordIsRefusedWithoutRepeatingIt() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443",
                "http://admin:hunter2@prod.example:8080");

        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null, JENKINS));

        assertEquals("The Kubernetes API server URL http://prod.example:8080 has a user name or password in it"
                + " (before '@'). Put the credentials in a Jenkins credential or the kubeconfig user instead; the URL is"
                + " written to logs and records.", e.getMessage());
    }

    @Test
    void aMalformedUrlIsNotEchoedSinceAnyPartOfItMayBeAPassword() {
        String config = kubeconfig("prod", "token: x").replace("https://prod.example:6443",
                "\"https://admin:hunter2 with space@prod.example:6443\"");

        DeployException e = assertThrows(DeployException.class, () -> Kubeconfig.connection(config, null, JENKINS));

        assertEquals("The Kubernetes API server URL given is not a URL: Illegal character in authority at character 22"
                + " (the URL is not shown, as it may hold a password). Expected one such as"
                + " https://k8s.example.com:6443.", e.getMessage());
    }

    @Test
    void aTokenlessConnectionNamesItsServerWithoutUserInfo() {
        DeployException e = assertThrows(DeployException.class,
                () -> ClusterConnection.ofToken("https://admin:hunter2@prod.example:6443", null, " "));

        assertEquals("The token for https://prod.example:6443 is empty. Expected a bearer token, such as a service"
                + " account token.", e.getMessage());
    }

    @Test
    void shownUrlsLoseTheirUserInfoAndMalformedOnesAreNotShown() {
        assertEquals("https://k8s.example:6443/api", ClusterConnection.shownUrl("https://u:p@k8s.example:6443/api"));
        assertEquals("http://k8s.example", ClusterConnection.shownUrl("http://token@k8s.example"));
        assertEquals("https://k8s.example:6443", ClusterConnection.shownUrl("https://k8s.example:6443"));
        assertEquals("(a malformed URL, not shown)", ClusterConnection.shownUrl("https://u:p w@k8s.example"));
    }
}
