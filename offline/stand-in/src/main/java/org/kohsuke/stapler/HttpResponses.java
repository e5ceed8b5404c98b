package org.kohsuke.stapler;

public class HttpResponses {
    public static HttpRedirect redirectTo(String url) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
