package hudson;

import java.io.IOException;

public final class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
    }
}
