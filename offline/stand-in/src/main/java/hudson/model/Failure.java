package hudson.model;

import org.kohsuke.stapler.HttpResponse;

public class Failure extends RuntimeException implements HttpResponse {
    public Failure(String message) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
