package io.jenkins.plugins.k8sdeploy.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The engine's clients use the bundled JDK transport, which must be the fabric8 version of the client it plugs into. */
class TransportTest {

    @Test
    void theBundledTransportIsOfTheFabric8VersionOfTheClient() throws IOException {
        String client = version("kubernetes-client-api");
        assertNotNull(client);
        assertEquals(client, version("kubernetes-httpclient-jdk"), "kubernetes-httpclient-jdk must be the fabric8"
                + " version the kubernetes-client-api plugin ships (fabric8.version in pom.xml)");
    }

    @Test
    void theEngineTalksThroughTheJdkTransport() throws Exception {
        ClusterConnection nowhere = ClusterConnection.ofToken("https://127.0.0.1:1", null, "token");
        try (KubeCluster cluster = KubeCluster.connect(nowhere)) {
            assertTrue(cluster.client().getHttpClient() instanceof JdkHttpClientImpl,
                    String.valueOf(cluster.client().getHttpClient()));
        }
    }

    private static String version(String artifact) throws IOException {
        try (InputStream in = Transport.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/io.fabric8/" + artifact + "/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }
}
