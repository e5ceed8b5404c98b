package com.cloudbees.plugins.credentials.impl;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.Secret;

import com.cloudbees.plugins.credentials.CredentialsScope;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Descriptor;
import org.kohsuke.stapler.DataBoundConstructor;

public class UsernamePasswordCredentialsImpl extends BaseStandardCredentials
        implements StandardUsernamePasswordCredentials {
    @DataBoundConstructor
    public UsernamePasswordCredentialsImpl(
            @CheckForNull CredentialsScope scope,
            @CheckForNull String id,
            @CheckForNull String description,
            @CheckForNull String username,
            @CheckForNull String password)
            throws Descriptor.FormException {
        super(scope, id, description);
    }

    @NonNull
    @Override
    public Secret getPassword() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @NonNull
    @Override
    public String getUsername() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
