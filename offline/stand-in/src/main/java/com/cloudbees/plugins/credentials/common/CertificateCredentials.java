package com.cloudbees.plugins.credentials.common;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.security.KeyStore;

public interface CertificateCredentials extends PasswordCredentials {
    @NonNull
    KeyStore getKeyStore();
}
