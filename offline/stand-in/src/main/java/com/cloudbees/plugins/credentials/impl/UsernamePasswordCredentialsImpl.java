package com.cloudbees.plugins.credentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Descriptor;
import org.kohsuke.stapler.DataBoundConstructor;

public class UsernamePasswordCredentialsImpl extends BaseStandardCredentials {
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
}
