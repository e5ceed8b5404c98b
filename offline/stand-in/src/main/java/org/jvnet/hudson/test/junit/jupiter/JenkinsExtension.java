package org.jvnet.hudson.test.junit.jupiter;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

class JenkinsExtension implements ParameterResolver, AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }
}
