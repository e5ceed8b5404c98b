package io.jenkins.plugins.k8sdeploy.demo;

/**
 * One phase of the demo and how long it took.
 *
 * @param seconds negative while it runs
 */
public record DemoPhase(String name, double seconds) {}
