package hudson.security;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

public abstract class AuthorizationStrategy extends AbstractDescribableImpl<AuthorizationStrategy>
        implements ExtensionPoint {}
