package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which credential kinds a metric provider accepts and what each becomes: runs without Jenkins. */
class ProviderCredentialsTest {
    static final ProviderConfig PROM = new ProviderConfig("prom", "prometheus", "http://prometheus:9090",
            "prom-token", null, null);
    static final String ACCEPTED = "Expected Secret text (a bearer token) or Username with password (basic"
            + " authentication).";

    @Test
    void secretTextIsABearerTokenAndUsernameWithPasswordIsBasicAuthentication() throws DeployException {
        assertEquals(Credentials.bearer("s3cr3t-token"),
                ProviderCredentials.toEngine(PROM, new ProviderCredentials.SecretText("s3cr3t-token")));
        assertEquals(Credentials.basic("grafana", "hunter2"),
                ProviderCredentials.toEngine(PROM, new ProviderCredentials.UsernamePassword("grafana", "hunter2")));
    }

    @Test
    void anyOtherKindIsRefusedNamingTheIdTheKindAndTheKindsAccepted() {
        DeployException e = assertThrows(DeployException.class, () -> ProviderCredentials.toEngine(PROM,
                new ProviderCredentials.Other("SSH Username with private key")));

        assertEquals("Credentials 'prom-token' (the credentialsId of metric provider 'prom') are of the kind 'SSH"
                + " Username with private key'. " + ACCEPTED, e.getMessage());
    }

    @Test
    void noCredentialOfThatIdIsAClearError() {
        DeployException e = assertThrows(DeployException.class, () -> ProviderCredentials.toEngine(PROM, null));

        assertEquals("Could not find credentials 'prom-token' (the credentialsId of metric provider 'prom') for this"
                + " build. Expected a credential with that id, visible to this job: Secret text (a bearer token) or"
                + " Username with password (basic authentication).", e.getMessage());
    }

    @Test
    void unusableValuesAreRefusedWithoutShowingThem() {
        String withBreak = assertThrows(DeployException.class, () -> ProviderCredentials.toEngine(PROM,
                new ProviderCredentials.SecretText("s3cr3t\nsecond-line"))).getMessage();
        String empty = assertThrows(DeployException.class, () -> ProviderCredentials.toEngine(PROM,
                new ProviderCredentials.SecretText(""))).getMessage();
        String noUser = assertThrows(DeployException.class, () -> ProviderCredentials.toEngine(PROM,
                new ProviderCredentials.UsernamePassword("", "hunter2"))).getMessage();

        assertEquals("Credentials 'prom-token' (the credentialsId of metric provider 'prom') cannot be used: the bearer"
                + " token holds a line break; a token is a single line.", withBreak);
        assertEquals("Credentials 'prom-token' (the credentialsId of metric provider 'prom') cannot be used: the"
                + " secret text is empty.", empty);
        assertEquals("Credentials 'prom-token' (the credentialsId of metric provider 'prom') cannot be used: the user"
                + " name is empty.", noUser);
        assertFalse(withBreak.contains("s3cr3t"));
        assertFalse(noUser.contains("hunter2"));
    }

    @Test
    void whatWasFoundNeverPrintsASecret() {
        List<ProviderCredentials.Found> found = List.of(new ProviderCredentials.SecretText("s3cr3t-token"),
                new ProviderCredentials.UsernamePassword("grafana", "hunter2"));

        assertEquals("[Secret text, Username with password (user grafana)]", found.toString());
    }
}
