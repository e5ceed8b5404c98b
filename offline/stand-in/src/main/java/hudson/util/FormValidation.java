package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    public final Kind kind;

    private FormValidation() {
        this.kind = null;
    }

    public enum Kind {
        OK,
        WARNING,
        ERROR
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
