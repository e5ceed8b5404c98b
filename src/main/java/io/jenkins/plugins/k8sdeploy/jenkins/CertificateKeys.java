package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;

/**
 * The client certificate and private key in a certificate credential's key store, as the PEM text a kubeconfig
 * would hold. Plain Java, tested without Jenkins.
 */
final class CertificateKeys {
    private CertificateKeys() {}

    /** PEM of the certificate chain and of the private key of the key store's first key entry. */
    record Pem(String certificates, String privateKey) {}

    static Pem of(KeyStore keyStore, char[] password, String credentialsId) throws DeployException {
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                Key key = keyStore.getKey(alias, password);
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (key instanceof PrivateKey && chain != null && chain.length > 0) {
                    StringBuilder certs = new StringBuilder();
                    for (Certificate c : chain) {
                        certs.append(pem("CERTIFICATE", c.getEncoded()));
                    }
                    return new Pem(certs.toString(), pem("PRIVATE KEY", key.getEncoded()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new DeployException("The certificate credential '" + credentialsId + "' cannot be read: "
                    + e.getMessage() + ". Expected a PKCS#12 key store with a private key and its certificate, and"
                    + " the right password.");
        }
        throw new DeployException("The certificate credential '" + credentialsId + "' holds no private key with a"
                + " certificate. Expected a PKCS#12 key store with the client's key and certificate.");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
