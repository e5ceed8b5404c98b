package io.jenkins.plugins.k8sdeploy.engine.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every cluster connection of the process shares, however many rollouts run: the JDK HTTP client (one
 * selector thread per connection handles all its sockets: requests as HTTP/2 streams on one connection, each watch a
 * WebSocket; its callbacks on {@link #HTTP}) and fabric8's informer and watch callbacks on {@link #TASKS}. Both pools
 * are small and fixed, their threads daemons that end after a minute idle, so a command-line run leaves nothing behind.
 *
 * <p>fabric8's OkHttp transport (what other plugins get from the kubernetes-client-api plugin) holds a thread for
 * every open watch; a controller running hundreds of rollouts would hold hundreds of threads. The JDK transport is a
 * fabric8 module of the same version, bundled with this plugin and chosen explicitly, so other plugins' clients are
 * unaffected.
 */
final class Transport {
    /** Threads for the HTTP client's callbacks (TLS work, response bodies): none of them blocks on our code. */
    static final int HTTP_THREADS = 2;
    /** Threads for informer and watch callbacks: ours only release a waiter, so two keep up with any number. */
    static final int TASK_THREADS = 2;

    static final Executor HTTP = pool("k8spd-kube-http-", HTTP_THREADS);
    static final Executor TASKS = pool("k8spd-kube-events-", TASK_THREADS);

    /**
     * Builds JDK clients on the shared pool. Closing one never stops the shared pool; its connections and selector
     * thread end once nothing refers to it any more (the JDK client's own clean-up).
     */
    static final JdkHttpClientFactory FACTORY = new JdkHttpClientFactory() {
        @Override
        protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
            return java.net.http.HttpClient.newBuilder().executor(HTTP);
        }
    };

    /**
     * One JSON and YAML mapper for every client and every conversion of the process: a fabric8 client otherwise makes
     * its own, whose caches grow with each kind it reads (hundreds of kilobytes each, times the rollouts running).
     */
    static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

    private Transport() {}

    private static Executor pool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
