package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    private FormValidation() {}

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
