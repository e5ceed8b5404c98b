package com.cloudbees.plugins.credentials;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;

public class BaseCredentials implements Credentials {
    public BaseCredentials(@CheckForNull CredentialsScope scope) {}

    @NonNull
    public CredentialsDescriptor getDescriptor() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
