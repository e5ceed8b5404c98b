package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * How to reach one cluster and who to be there, resolved to plain values: a server URL, the CA to trust and one way
 * of authenticating (a bearer token, a client certificate, or a user name and password).
 *
 * <p>It holds secrets, so it is never serialized, never persisted with a build and its {@link #toString()} names only
 * the server and the kind of authentication. Build one with {@link #ofToken} or {@link Kubeconfig#connection}.
 */
public final class ClusterConnection {
    private final String serverUrl;
    private final String caCertificatePem;
    private final boolean insecureSkipTlsVerify;
    private final String bearerToken;
    private final String clientCertificatePem;
    private final String clientKeyPem;
    private final String username;
    private final String password;
    private final String defaultNamespace;
    /**
     * For a kubeconfig whose credentials come from a command or a file (the command line only): fabric8's own client
     * configuration, which runs the command and reads the files as kubectl does. {@code null} otherwise.
     */
    private final io.fabric8.kubernetes.client.Config kubectlConfig;
    private final String kubectlAuthKind;

    ClusterConnection(
            String serverUrl,
            String caCertificatePem,
            boolean insecureSkipTlsVerify,
            String bearerToken,
            String clientCertificatePem,
            String clientKeyPem,
            String username,
            String password,
            String defaultNamespace) {
        this(serverUrl, caCertificatePem, insecureSkipTlsVerify, bearerToken, clientCertificatePem, clientKeyPem,
                username, password, defaultNamespace, null, null);
    }

    private ClusterConnection(
            String serverUrl,
            String caCertificatePem,
            boolean insecureSkipTlsVerify,
            String bearerToken,
            String clientCertificatePem,
            String clientKeyPem,
            String username,
            String password,
            String defaultNamespace,
            io.fabric8.kubernetes.client.Config kubectlConfig,
            String kubectlAuthKind) {
        this.serverUrl = serverUrl;
        this.caCertificatePem = caCertificatePem;
        this.insecureSkipTlsVerify = insecureSkipTlsVerify;
        this.bearerToken = bearerToken;
        this.clientCertificatePem = clientCertificatePem;
        this.clientKeyPem = clientKeyPem;
        this.username = username;
        this.password = password;
        this.defaultNamespace = defaultNamespace;
        this.kubectlConfig = kubectlConfig;
        this.kubectlAuthKind = kubectlAuthKind;
    }

    /**
     * A connection whose credentials fabric8 gets as kubectl would, from {@code config} (a command's output, files).
     *
     * @param authKind what the credentials are, for messages ("exec command aws")
     */
    static ClusterConnection ofKubectlConfig(String serverUrl, boolean insecureSkipTlsVerify, String defaultNamespace,
            io.fabric8.kubernetes.client.Config config, String authKind) {
        return new ClusterConnection(serverUrl, null, insecureSkipTlsVerify, null, null, null, null, null,
                defaultNamespace, config, authKind);
    }

    /**
     * A connection that authenticates with a bearer token (a service account token, say).
     *
     * @param caCertificatePem the cluster's CA certificate in PEM form, or {@code null} to trust the JVM's CAs
     */
    public static ClusterConnection ofToken(String serverUrl, String caCertificatePem, String token)
            throws DeployException {
        if (token == null || token.isBlank()) {
            throw new DeployException("The token for " + shownUrl(serverUrl) + " is empty. Expected a bearer token,"
                    + " such as a service account token.");
        }
        return new ClusterConnection(
                checkServerUrl(serverUrl),
                checkCertificate(caCertificatePem, "caCertificate"),
                false,
                token.strip(),
                null,
                null,
                null,
                null,
                null);
    }

    /** A connection that authenticates with a user name and password (HTTP basic authentication). */
    public static ClusterConnection ofBasic(String serverUrl, String caCertificatePem, String username,
            String password) throws DeployException {
        if (username == null || username.isBlank()) {
            throw new DeployException("The user name for " + shownUrl(serverUrl) + " is empty. Expected a user the"
                    + " API server knows.");
        }
        return new ClusterConnection(checkServerUrl(serverUrl), checkCertificate(caCertificatePem, "caCertificate"),
                false, null, null, null, username, password, null);
    }

    /** A connection that authenticates with a client certificate and its private key, both in PEM form. */
    public static ClusterConnection ofClientCertificate(String serverUrl, String caCertificatePem,
            String certificatePem, String keyPem) throws DeployException {
        if (certificatePem == null || keyPem == null) {
            throw new DeployException("The client certificate for " + shownUrl(serverUrl) + " has no certificate"
                    + " or no private key. Expected both.");
        }
        return new ClusterConnection(checkServerUrl(serverUrl), checkCertificate(caCertificatePem, "caCertificate"),
                false, null, certificatePem, keyPem, null, null, null);
    }

    /**
     * Checks that {@code url} is an absolute https URL with a host and no user information, and returns it without a
     * trailing slash. A message about a bad URL never repeats user information, nor a URL that does not parse whole.
     */
    public static String checkServerUrl(String url) throws DeployException {
        if (url == null || url.isBlank()) {
            throw new DeployException("No Kubernetes API server URL was given. Expected one such as"
                    + " https://k8s.example.com:6443.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            // Not echoed: the part that does not parse may be a password ("https://admin:p@ss word@host").
            throw new DeployException("The Kubernetes API server URL given is not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + " (the URL is not shown, as"
                    + " it may hold a password). Expected one such as https://k8s.example.com:6443.");
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the URL: the part before @ is likely a password or token.
            throw new DeployException("The Kubernetes API server URL " + shownUrl(url) + " has a user name or"
                    + " password in it (before '@'). Put the credentials in a Jenkins credential or the kubeconfig"
                    + " user instead; the URL is written to logs and records.");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new DeployException("The Kubernetes API server URL '" + url.strip() + "' is not an https URL with a"
                    + " host. Expected one such as https://k8s.example.com:6443.");
        }
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * {@code url} fit for a message, a log or a record: without its user information ({@code https://host:6443} for
     * {@code https://admin:secret@host:6443}). A URL that does not parse is not shown at all, since there is no
     * telling which part of it is a password.
     */
    public static String shownUrl(String url) {
        if (url == null) {
            return "(none)";
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getRawUserInfo() == null) {
                return uri.toString();
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return "(a malformed URL, not shown)";
        }
    }

    /** Returns {@code pem} if it is blank-free PEM text holding a certificate, {@code null} if it is blank. */
    static String checkCertificate(String pem, String what) throws DeployException {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new DeployException("The " + what + " is not a PEM certificate. Expected text starting with"
                    + " '-----BEGIN CERTIFICATE-----'.");
        }
        return pem.strip() + "\n";
    }

    public String serverUrl() {
        return serverUrl;
    }

    /** The CA certificate in PEM form, or {@code null} to trust the JVM's default CAs. */
    public String caCertificatePem() {
        return caCertificatePem;
    }

    public boolean insecureSkipTlsVerify() {
        return insecureSkipTlsVerify;
    }

    public String bearerToken() {
        return bearerToken;
    }

    public String clientCertificatePem() {
        return clientCertificatePem;
    }

    public String clientKeyPem() {
        return clientKeyPem;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The namespace the kubeconfig context names, or {@code null}. */
    public String defaultNamespace() {
        return defaultNamespace;
    }

    /**
     * The same connection with {@code namespace} as its default namespace (a named cluster's, which wins over a
     * kubeconfig context's); {@code null} or blank keeps this one's.
     */
    public ClusterConnection withDefaultNamespace(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            return this;
        }
        return new ClusterConnection(serverUrl, caCertificatePem, insecureSkipTlsVerify, bearerToken,
                clientCertificatePem, clientKeyPem, username, password, namespace.strip(), kubectlConfig,
                kubectlAuthKind);
    }

    /** fabric8's configuration for credentials got as kubectl gets them, or {@code null}. */
    io.fabric8.kubernetes.client.Config kubectlConfig() {
        return kubectlConfig;
    }

    /** Names the kind of authentication, never its value. */
    public String authKind() {
        if (kubectlAuthKind != null) {
            return kubectlAuthKind;
        }
        if (bearerToken != null) {
            return "token";
        }
        if (clientCertificatePem != null) {
            return "client certificate";
        }
        if (username != null) {
            return "basic";
        }
        return "anonymous";
    }

    @Override
    public String toString() {
        return "ClusterConnection[" + serverUrl + ", " + authKind() + "]";
    }
}
