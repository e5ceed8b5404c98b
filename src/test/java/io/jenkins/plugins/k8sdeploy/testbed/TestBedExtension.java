package io.jenkins.plugins.k8sdeploy.testbed;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeClients;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link RequiresCluster}. */
public final class TestBedExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestBedExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        TestBed.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestBed bed = TestBed.get();
        KubernetesClient admin = KubeClients.open(bed.admin());
        KubernetesClient deployer = KubeClients.open(bed.deployer());
        String namespace = namespaceFor(context);
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .addToLabels("k8spd.test/namespace", "true")
                        .endMetadata()
                        .build())
                .create();
        context.getStore(STORE).put(TestCluster.class, new TestCluster(bed, namespace, admin, deployer));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestCluster cluster = context.getStore(STORE).remove(TestCluster.class, TestCluster.class);
        if (cluster == null) {
            return;
        }
        try {
            cluster.admin().namespaces().withName(cluster.namespace()).delete();
        } finally {
            cluster.admin().close();
            cluster.deployer().close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(STORE).get(TestCluster.class, TestCluster.class);
    }

    /** A DNS-1123 label from the test's name, unique per run: "t-deploymentrollsout-k3x9q". */
    static String namespaceFor(ExtensionContext context) {
        String name = context.getRequiredTestMethod().getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return "t-" + name + "-" + suffix;
    }
}
