package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public abstract class Cause {
    public static class UserIdCause extends Cause {
        public UserIdCause(@CheckForNull String userId) {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        @CheckForNull
        public String getUserId() {
            throw new UnsupportedOperationException("compile-only stand-in");
        }
    }
}
