package com.cloudbees.plugins.credentials.common;

public interface StandardCertificateCredentials extends StandardCredentials, CertificateCredentials {}
