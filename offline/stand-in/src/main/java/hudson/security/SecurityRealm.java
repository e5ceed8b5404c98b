package hudson.security;

import jenkins.model.IdStrategy;

public abstract class SecurityRealm {
    public IdStrategy getUserIdStrategy() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public IdStrategy getGroupIdStrategy() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
