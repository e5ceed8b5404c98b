package org.jenkinsci.plugins.plaincredentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.IOException;
import java.io.InputStream;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

public final class FileCredentialsImpl extends BaseStandardCredentials implements FileCredentials {
    public FileCredentialsImpl(
            @CheckForNull CredentialsScope scope,
            @CheckForNull String id,
            @CheckForNull String description,
            @NonNull String fileName,
            @NonNull SecretBytes secretBytes) {
        super(scope, id, description);
    }

    @Override
    public InputStream getContent() throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
