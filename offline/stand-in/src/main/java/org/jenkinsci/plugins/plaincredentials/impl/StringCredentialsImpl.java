package org.jenkinsci.plugins.plaincredentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

public final class StringCredentialsImpl extends BaseStandardCredentials implements StringCredentials {
    public StringCredentialsImpl(
            @CheckForNull CredentialsScope scope,
            @CheckForNull String id,
            @CheckForNull String description,
            @NonNull Secret secret) {
        super(scope, id, description);
    }

    @Override
    public Secret getSecret() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
