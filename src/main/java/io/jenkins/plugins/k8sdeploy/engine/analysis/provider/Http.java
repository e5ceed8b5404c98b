package io.jenkins.plugins.k8sdeploy.engine.analysis.provider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * What both providers share: a JDK {@link HttpClient} (no redirects followed, so credentials never travel to another
 * address; HTTP/1.1; no proxy), trust in a given CA, one request with a deadline on the whole exchange and a limit on
 * the answer's size, and failures put in words ("did not answer: Connection refused").
 */
final class Http {
    static final String USER_AGENT = "k8s-progressive-delivery";

    private Http() {}

    /** Why a request got no usable answer: the phrase follows the provider's name ("did not answer: ..."). */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;

        Unanswered(String phrase) {
            super(phrase, null, false, false);
        }
    }

    /** An answer: status, content type, body as UTF-8 text (empty when it was not wanted), redirect target. */
    record Answer(int status, String contentType, String body, String location) {}

    static HttpClient client(Duration timeout, String caCertificate) throws IllegalArgumentException {
        HttpClient.Builder b = HttpClients.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (caCertificate != null) {
            b.sslContext(sslContext(caCertificate));
        }
        return b.build();
    }

    /**
     * Checks an address: absolute http or https with a host, no user name or password in it (those are
     * credentials), no query or fragment.
     *
     * @return the problem in words, or null
     */
    static String addressProblem(String address) {
        if (address == null || address.isBlank()) {
            return "no address is given";
        }
        URI uri;
        try {
            uri = new URI(address.strip());
        } catch (URISyntaxException e) {
            return "'" + redact(address) + "' is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return "'" + redact(address) + "' is not an http or https URL (expected e.g. http://prometheus:9090)";
        }
        if (uri.getRawUserInfo() != null) {
            return "'" + redact(address) + "' holds a user name or password; give them as credentials instead";
        }
        if (uri.getHost() == null) {
            return "'" + redact(address) + "' names no host";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "'" + redact(address) + "' has a query or fragment; give the base URL only";
        }
        return null;
    }

    /** An address with any user info replaced by "***", for messages. */
    static String redact(String address) {
        if (address == null) {
            return null;
        }
        return address.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1***@");
    }

    /**
     * Trust exactly the certificates of a PEM text (one or more {@code BEGIN CERTIFICATE} blocks).
     *
     * @throws IllegalArgumentException saying what is wrong with the PEM, never quoting it
     */
    static SSLContext sslContext(String pem) {
        try {
            Collection<? extends Certificate> certs = certificates(pem);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the CA certificate cannot be used: " + e.getMessage(), e);
        }
    }

    /** The problem with a PEM text, or null when it holds at least one certificate. */
    static String certificateProblem(String pem) {
        try {
            certificates(pem);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Collection<? extends Certificate> certificates(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("the CA certificate is not PEM: expected one or more blocks"
                    + " '-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----'");
        }
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("the CA certificate holds no certificate");
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("the CA certificate cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a request and waits at most {@code timeout} for the whole answer.
     *
     * @param maxBytes the largest body accepted; 0 to discard the body
     * @throws Unanswered with the phrase that follows the provider's name
     */
    static Answer send(HttpClient client, HttpRequest request, Duration timeout, int maxBytes) throws Unanswered {
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request,
                info -> maxBytes == 0 ? HttpResponse.BodySubscribers.replacing(new byte[0]) : new Limited(maxBytes));
        try {
            HttpResponse<byte[]> r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    new String(r.body(), StandardCharsets.UTF_8),
                    r.headers().firstValue("Location").orElse(null));
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Unanswered("did not answer within " + human(timeout));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unanswered("was not asked to the end: the measurement was interrupted");
        } catch (ExecutionException e) {
            throw new Unanswered(describe(e.getCause(), timeout, maxBytes));
        }
    }

    /** Why an exchange failed, in words; the JDK's exceptions often carry no message of their own. */
    static String describe(Throwable t, Duration timeout, int maxBytes) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TooLarge) {
                return "answered with more than " + size(maxBytes);
            }
            if (c instanceof HttpConnectTimeoutException) {
                return "did not answer: no connection within " + human(timeout);
            }
            if (c instanceof HttpTimeoutException) {
                return "did not answer within " + human(timeout);
            }
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "did not answer: its host name does not resolve" + (c.getMessage() == null ? ""
                        : " (" + c.getMessage() + ")");
            }
            if (c instanceof SSLHandshakeException || c instanceof SSLException) {
                String m = String.valueOf(c.getMessage());
                if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
                    return "did not answer: its TLS certificate is not trusted (give the CA that signed it as"
                            + " caCertificate)";
                }
                if (m.contains("No subject alternative") || m.contains("No name matching")) {
                    return "did not answer: its TLS certificate is for another host name (" + m + ")";
                }
                return "did not answer: the TLS handshake failed (" + m + ")";
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "did not answer: " + (c.getMessage() != null ? c.getMessage() : "Connection refused");
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return "did not answer: " + (c instanceof IOException ? "" : c.getClass().getSimpleName() + ": ")
                        + c.getMessage();
            }
        }
        return "did not answer: " + (t == null ? "unknown failure" : t.getClass().getSimpleName());
    }

    /** "10s", "1500ms", "2m". */
    static String human(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 120_000) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    /**
     * The start of a text answer, on one line and cut short, for a message (which the build log shows); nothing of
     * an answer to a request that carried credentials, which may hold what only they should see.
     */
    static String snippet(String text, boolean authenticated) {
        if (authenticated) {
            return "";
        }
        String s = text.replaceAll("\\s+", " ").strip();
        return s.length() > SNIPPET_CHARS ? s.substring(0, SNIPPET_CHARS) + "..." : s;
    }

    static final int SNIPPET_CHARS = 100;

    /** scheme://host:port, lower case, with the scheme's default port: what "the same origin" compares. */
    static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("answer too large", null);
        }
    }

    /** Collects a body up to a limit, then gives up (and cancels the exchange) rather than fill the memory. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        Limited(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if ((long) out.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
