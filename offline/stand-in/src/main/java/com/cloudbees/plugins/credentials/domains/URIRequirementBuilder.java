package com.cloudbees.plugins.credentials.domains;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.List;

public class URIRequirementBuilder {
    private URIRequirementBuilder() {}

    @NonNull
    public static URIRequirementBuilder fromUri(@CheckForNull String uri) {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @NonNull
    public List<DomainRequirement> build() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
