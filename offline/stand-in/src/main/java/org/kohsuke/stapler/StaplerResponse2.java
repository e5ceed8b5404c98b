package org.kohsuke.stapler;

public interface StaplerResponse2 {}
