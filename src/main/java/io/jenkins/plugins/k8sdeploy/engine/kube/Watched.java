package io.jenkins.plugins.k8sdeploy.engine.kube;

import java.util.List;

/**
 * Objects of one kind in one namespace as a shared informer last saw them, narrowed to one caller's (see
 * {@link KubeCluster#watch}). Reading costs no request.
 */
public interface Watched<T> extends AutoCloseable {
    /** The caller's objects now, from the cache. */
    List<T> items();

    /**
     * True while the informer's watch is established, so the cache follows the server; false while it reconnects
     * (an API server that stopped answering), when a reader should ask the server instead.
     */
    boolean live();

    /** Stops the caller's wake-ups; the informer closes with its last view. */
    @Override
    void close();
}
