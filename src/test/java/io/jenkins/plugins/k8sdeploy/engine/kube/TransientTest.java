package io.jenkins.plugins.k8sdeploy.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Which failed requests are worth trying again: what may pass by itself, and nothing a user must fix. */
class TransientTest {
    static KubernetesClientException answer(int code) {
        return new KubernetesClientException("answered " + code, code, null);
    }

    @Test
    void noAnswerAndOverloadOrRestartAnswersMayPass() {
        assertTrue(Transient.is(new KubernetesClientException("get failed", new ConnectException("Connection refused"))));
        for (int code : new int[] {429, 500, 502, 503, 504}) {
            assertTrue(Transient.is(answer(code)), "HTTP " + code);
        }
        assertTrue(Transient.is(new DeployException("Could not reach the API server", answer(503))),
                "wrapped in the engine's message");
        assertEquals("ConnectException: Connection refused", Transient.describe(new DeployException("x",
                new KubernetesClientException("get failed", new ConnectException("Connection refused")))));
        assertEquals("HTTP 503", Transient.describe(answer(503)));
    }

    @Test
    void refusalsTyposAndCertificatesAreNot() {
        for (int code : new int[] {400, 401, 403, 404, 409, 422}) {
            assertFalse(Transient.is(answer(code)), "HTTP " + code);
        }
        assertFalse(Transient.is(new KubernetesClientException("x", new UnknownHostException("kube.exmaple"))));
        assertFalse(Transient.is(new KubernetesClientException("x", new SSLHandshakeException("PKIX"))));
        assertFalse(Transient.is(new DeployException("the manifest is wrong")));
        assertFalse(Transient.is(new IllegalStateException("a bug")));
    }
}
