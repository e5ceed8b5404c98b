package io.jenkins.plugins.k8sdeploy.engine.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class ObjectDiffTest {
    private static GenericKubernetesResource object(String yaml) {
        return new KubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }

    @Test
    void aNewSecretHidesItsValuesAndEveryAnnotationThatCopiesOneButNotOtherAnnotations() {
        GenericKubernetesResource secret = object("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Secret","data":{"token":"czNjcjN0"}}'
                    example.com/note: "backup of the token: s3cr3t"
                    example.com/owner: team-db
                data: {token: czNjcjN0}
                """);

        assertEquals("""
                --- /dev/null
                +++ new/Secret/db
                @@ -1,0 +1,10 @@
                +apiVersion: "v1"
                +kind: "Secret"
                +metadata:
                +  annotations:
                +    kubectl.kubernetes.io/last-applied-configuration: "***"
                +    example.com/note: "***"
                +    example.com/owner: "team-db"
                +  name: "db"
                +data:
                +  token: "***"
                """, ObjectDiff.diff("Secret/db", null, secret));
    }

    @Test
    void aConfigMapKeepsItsLastAppliedAnnotation() {
        GenericKubernetesResource config = object("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"ConfigMap"}'
                data: {greeting: hello}
                """);

        assertEquals("""
                --- /dev/null
                +++ new/ConfigMap/web
                @@ -1,0 +1,8 @@
                +apiVersion: "v1"
                +kind: "ConfigMap"
                +metadata:
                +  annotations:
                +    kubectl.kubernetes.io/last-applied-configuration: "{\\"kind\\":\\"ConfigMap\\"}"
                +  name: "web"
                +data:
                +  greeting: "hello"
                """, ObjectDiff.diff("ConfigMap/web", null, config));
    }
}
