package org.jvnet.hudson.test;

import hudson.security.AuthorizationStrategy;
import hudson.security.Permission;

public class MockAuthorizationStrategy extends AuthorizationStrategy {
    public MockAuthorizationStrategy() {}

    public Grant grant(Permission... permissions) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public class Grant {
        private Grant() {}

        public GrantOn everywhere() {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public class GrantOn {
            private GrantOn() {}

            public MockAuthorizationStrategy to(String... sids) {
                throw new UnsupportedOperationException("compile-only stand-in");
            }

            public MockAuthorizationStrategy toEveryone() {
                throw new UnsupportedOperationException("compile-only stand-in");
            }
        }
    }
}
