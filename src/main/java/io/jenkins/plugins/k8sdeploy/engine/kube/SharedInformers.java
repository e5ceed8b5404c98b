package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One informer (a list, then a watch, kept up to date by fabric8) per kind and namespace on a shared connection,
 * however many rollouts look at objects there: each caller gets a {@link Watched} view filtered to what it cares about
 * and a wake-up only for changes to those objects. The informer is counted by its views and closed with the last.
 */
final class SharedInformers {
    private final KubernetesClient client;
    private final Map<String, Entry<?>> entries = new HashMap<>();

    SharedInformers(KubernetesClient client) {
        this.client = client;
    }

    /**
     * A view of the objects {@code source} lists that {@code filter} accepts; {@code onChange} runs (on a shared
     * callback thread, so it must be quick) whenever one of them is added, changed or deleted. Returns once the
     * informer has its first list.
     *
     * @param key names {@code source}: kind and namespace
     */
    <T extends HasMetadata> Watched<T> watch(String key, Function<KubernetesClient, Informable<T>> source,
            Predicate<? super T> filter, Runnable onChange) {
        try {
            return watchAsync(key, source, filter, onChange).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * As {@link #watch}, without waiting: the view comes once the informer has its first list, so that a caller
     * needing several starts them together (one round trip instead of one each).
     */
    <T extends HasMetadata> CompletableFuture<Watched<T>> watchAsync(String key,
            Function<KubernetesClient, Informable<T>> source, Predicate<? super T> filter, Runnable onChange) {
        Entry<T> entry;
        boolean create;
        synchronized (this) {
            @SuppressWarnings("unchecked")
            Entry<T> existing = (Entry<T>) entries.get(key);
            create = existing == null;
            entry = create ? new Entry<>(key) : existing;
            if (create) {
                entries.put(key, entry);
            }
            entry.users++;
        }
        if (create) {
            try {
                SharedIndexInformer<T> informer = source.apply(client).runnableInformer(0);
                entry.informer = informer;
                informer.start().whenComplete((ok, failure) -> {
                    if (failure == null) {
                        entry.ready.complete(null);
                        return;
                    }
                    synchronized (this) {
                        entries.remove(key, entry);
                    }
                    informer.close();
                    entry.ready.completeExceptionally(failure);
                });
            } catch (RuntimeException e) {
                synchronized (this) {
                    entries.remove(key, entry);
                }
                entry.ready.completeExceptionally(e);
            }
        }
        return entry.ready.thenApply(ok -> {
            View<T> view = new View<>(this, entry, filter, onChange);
            entry.informer.addEventHandler(view);
            return (Watched<T>) view;
        });
    }

    /** Informers open now for {@code namespace}, or in all when it is null (for tests and benchmarks). */
    synchronized int count(String namespace) {
        return namespace == null ? entries.size()
                : (int) entries.keySet().stream().filter(k -> k.endsWith("|" + namespace)).count();
    }

    /** Closes every informer: the connection is closing. */
    void closeAll() {
        List<Entry<?>> all;
        synchronized (this) {
            all = new ArrayList<>(entries.values());
            entries.clear();
        }
        all.forEach(Entry::close);
    }

    private void done(Entry<?> entry) {
        synchronized (this) {
            if (--entry.users > 0 || entries.get(entry.key) != entry) {
                return;
            }
            entries.remove(entry.key);
        }
        entry.close();
    }

    private static final class Entry<T extends HasMetadata> {
        final String key;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile SharedIndexInformer<T> informer;
        int users;

        Entry(String key) {
            this.key = key;
        }

        void close() {
            if (informer != null) {
                informer.close();
            }
        }
    }

    private static final class View<T extends HasMetadata> implements Watched<T>, ResourceEventHandler<T> {
        private final SharedInformers owner;
        private final Entry<T> entry;
        private final Predicate<? super T> filter;
        private final Runnable onChange;
        private boolean closed;

        View(SharedInformers owner, Entry<T> entry, Predicate<? super T> filter, Runnable onChange) {
            this.owner = owner;
            this.entry = entry;
            this.filter = filter;
            this.onChange = onChange;
        }

        @Override
        public List<T> items() {
            return entry.informer.getStore().list().stream().filter(filter).toList();
        }

        @Override
        public boolean live() {
            return entry.informer.isWatching();
        }

        @Override
        public void onAdd(T obj) {
            changed(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            changed(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed(obj);
        }

        private void changed(T obj) {
            if (obj != null && filter.test(obj)) {
                onChange.run();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            entry.informer.removeEventHandler(this);
            owner.done(entry);
        }
    }
}
