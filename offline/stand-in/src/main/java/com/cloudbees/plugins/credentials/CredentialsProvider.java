package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionPoint;
import hudson.model.Run;
import hudson.security.Permission;
import java.util.List;

public abstract class CredentialsProvider implements ExtensionPoint {
    public static final Permission USE_ITEM = null;

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(
            @NonNull String id,
            @NonNull Class<C> type,
            @NonNull Run<?, ?> run,
            @Nullable List<DomainRequirement> domainRequirements) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @CheckForNull
    public static <C extends Credentials> C track(@NonNull Run build, @CheckForNull C credential) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
