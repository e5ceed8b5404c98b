package io.jenkins.plugins.k8sdeploy.testbed;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the test bed's Traefik has loaded, from its API on the admin entry point (not what the API server stores). */
public final class Traefik {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final HttpClient CLIENT = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Traefik() {}

    /**
     * The request tests' app: Deployment {@code web} of 4 pods answering on 8080 (a pod being deleted answers 3 s
     * more when {@code container} gives it a preStop hook), Service {@code web} (80 -> 8080) and HTTPRoute {@code web}
     * on the test bed's Gateway for {@code /<namespace>}.
     *
     * @param deploymentSpec more of the Deployment's spec (YAML, one line), or ""
     * @param podAnnotations the pods' annotations (YAML flow mapping entries), or ""
     * @param container more of the container (YAML, one line), or ""
     */
    public static String app(TestBed bed, String namespace, String image, String deploymentSpec,
            String podAnnotations, String container) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 4
                  %s
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}, annotations: {%s}}
                    spec:
                      terminationGracePeriodSeconds: 3
                      containers:
                      - name: web
                        image: %s
                        ports: [{containerPort: 8080}]
                        %s
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                """.formatted(deploymentSpec, podAnnotations, image, container) + route(bed, namespace, "web");
    }

    /**
     * An HTTPRoute {@code name} on the test bed's Gateway sending the requests for {@code /<namespace>} to port 80 of
     * the Service {@code name}, as a YAML document (the path keeps the tests' routes apart).
     */
    public static String route(TestBed bed, String namespace, String name) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %1$s}
                spec:
                  parentRefs: [%2$s]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /%3$s}}]
                    backendRefs:
                    - {name: %1$s, port: 80}
                """.formatted(name, bed.gatewayParentRef(), namespace);
    }

    /**
     * The weight Traefik gives the Kubernetes Service {@code service} of {@code namespace} in the weighted services
     * an HTTPRoute of {@code namespace} made, as "weight/total" per weighted service ("0/100" when it is not among
     * the route's backends).
     */
    public static String weights(TestBed bed, String namespace, String service) throws IOException,
            InterruptedException {
        HttpResponse<String> res = CLIENT.send(HttpRequest.newBuilder(URI.create(bed.proxyAdminUrl()
                + "/api/http/services")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IOException("Traefik's API answered " + res.statusCode() + ": " + res.body());
        }
        StringBuilder out = new StringBuilder();
        for (Object o : JSON.unmarshal(res.body(), List.class)) {
            Map<?, ?> s = (Map<?, ?>) o;
            Object weighted = s.get("weighted");
            if (!(weighted instanceof Map<?, ?> w) || !String.valueOf(s.get("name")).startsWith("httproute-"
                    + namespace + "-")) {
                continue;
            }
            int mine = 0;
            int total = 0;
            for (Object c : (List<?>) w.get("services")) {
                Map<?, ?> child = (Map<?, ?>) c;
                int weight = child.get("weight") == null ? 1 : ((Number) child.get("weight")).intValue();
                total += weight;
                if (String.valueOf(child.get("name")).startsWith(namespace + "-" + service + "-http-")) {
                    mine += weight;
                }
            }
            out.append(out.isEmpty() ? "" : " ").append(mine).append('/').append(total);
        }
        return out.toString();
    }

    /** Waits until Traefik has loaded {@code weight} of 100 for {@code service} in the namespace's route. */
    public static void awaitWeight(TestBed bed, String namespace, String service, int weight, Duration timeout)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String want = weight + "/100";
        String got = "";
        while (System.nanoTime() < end) {
            got = weights(bed, namespace, service);
            if (got.equals(want)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Traefik did not load weight " + want + " for " + namespace + "/" + service
                + " within " + timeout + "; it has: '" + got + "'");
    }
}
