package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.DeployRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How k8sDeploy's parameters become an engine request: runs without Jenkins. */
class RequestsTest {

    /** The step's parameters as a Pipeline would set them. */
    static final class Settings implements DeploySettings {
        String manifests = "k8s/*.yaml";
        String yaml;
        String namespace;
        boolean pin;
        String images;
        boolean substitute;
        String variables;
        String timeout;
        boolean rollback = true;
        boolean dryRun;

        @Override public String getManifests() { return manifests; }
        @Override public String getYaml() { return yaml; }
        @Override public String getNamespace() { return namespace; }
        @Override public boolean isPinNamespace() { return pin; }
        @Override public String getImages() { return images; }
        @Override public boolean isSubstitute() { return substitute; }
        @Override public String getVariables() { return variables; }
        @Override public String getTimeout() { return timeout; }
        @Override public boolean isRollback() { return rollback; }
        @Override public boolean isDryRun() { return dryRun; }
        @Override public String getCredentialsId() { return "id"; }
        @Override public String getServerUrl() { return null; }
        @Override public String getCaCertificate() { return null; }
        @Override public String getContext() { return null; }
    }

    static final Map<String, String> ENV = Map.of("TAG", "1.4.2", "BUILD_NUMBER", "7");

    @Test
    void defaultsAreTheEngineDefaults() throws DeployException {
        DeployRequest r = Requests.deploy(new Settings(), ENV);

        assertEquals(List.of("k8s/*.yaml"), r.manifests());
        assertNull(r.variables(), "no substitution unless asked");
        assertEquals(Map.of(), r.images());
        assertEquals(Duration.ofMinutes(10), r.timeout());
        assertTrue(r.rollbackOnFailure());
        assertEquals(false, r.dryRun());
    }

    @Test
    void everyParameterReachesTheRequest() throws DeployException {
        Settings s = new Settings();
        s.manifests = "k8s/app.yaml,\n k8s/db.yaml ,";
        s.yaml = "apiVersion: v1";
        s.namespace = "shop";
        s.pin = true;
        s.images = "web=registry.example/web:1.4.2\napi=registry.example/api:2";
        s.substitute = true;
        s.timeout = "90s";
        s.rollback = false;
        s.dryRun = true;

        DeployRequest r = Requests.deploy(s, ENV);

        assertEquals(List.of("k8s/app.yaml", "k8s/db.yaml"), r.manifests());
        assertEquals("apiVersion: v1", r.inlineYaml());
        assertEquals("shop", r.namespace());
        assertTrue(r.pinNamespace());
        assertEquals(Map.of("web", "registry.example/web:1.4.2", "api", "registry.example/api:2"), r.images());
        assertEquals(ENV, r.variables(), "substitution takes the build's environment");
        assertEquals(Duration.ofSeconds(90), r.timeout());
        assertEquals(false, r.rollbackOnFailure());
        assertTrue(r.dryRun());
    }

    @Test
    void variablesAloneSubstituteOnlyThemselvesAndWinOverTheEnvironment() throws DeployException {
        Settings own = new Settings();
        own.variables = "TAG=2.0\n\nREGION = eu ";
        Settings both = new Settings();
        both.variables = "TAG=2.0";
        both.substitute = true;

        assertEquals(Map.of("TAG", "2.0", "REGION", "eu"), Requests.deploy(own, ENV).variables());
        assertEquals(Map.of("TAG", "2.0", "BUILD_NUMBER", "7"), Requests.deploy(both, ENV).variables());
    }

    @Test
    void badParametersAreClearErrors() {
        Settings none = new Settings();
        none.manifests = " , ";
        Settings pinned = new Settings();
        pinned.pin = true;
        Settings slow = new Settings();
        slow.timeout = "ten minutes";
        Settings image = new Settings();
        image.images = "registry.example/web:1";

        assertEquals("k8sDeploy needs manifests (files, directories or globs such as 'k8s/*.yaml') or yaml (manifests"
                + " given inline). Neither was given.",
                assertThrows(DeployException.class, () -> Requests.deploy(none, ENV)).getMessage());
        assertEquals("pinNamespace needs namespace: the namespace every manifest must deploy to.",
                assertThrows(DeployException.class, () -> Requests.deploy(pinned, ENV)).getMessage());
        assertEquals("'ten minutes' is not a duration. Expected a number with s, m or h, such as 90s, 10m or 1h.",
                assertThrows(DeployException.class, () -> Requests.deploy(slow, ENV)).getMessage());
        assertEquals("The image override 'registry.example/web:1' is not container=image. Expected something like"
                + " 'web=registry.example/web:1.4.2'.",
                assertThrows(DeployException.class, () -> Requests.deploy(image, ENV)).getMessage());
    }
}
