package org.kohsuke.stapler;

public final class HttpRedirect extends RuntimeException implements HttpResponse {
    private HttpRedirect() {}
}
