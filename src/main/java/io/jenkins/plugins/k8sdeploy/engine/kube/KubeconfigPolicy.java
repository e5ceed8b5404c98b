package io.jenkins.plugins.k8sdeploy.engine.kube;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a front end lets a kubeconfig do, chosen by the front end that reads it, since the same kubeconfig means
 * different things in different places.
 *
 * <ul>
 *   <li>{@link #jenkins}: strict. The kubeconfig comes from a credential a job names, and it is read on the Jenkins
 *       controller, so it may not make the controller run a command ({@code exec}, {@code auth-provider}) or read a
 *       file of the controller's; {@code insecure-skip-tls-verify} only where an administrator allowed it.
 *   <li>{@link #commandLine}: as kubectl. The kubeconfig is the user's own, on the user's own machine: {@code exec}
 *       plugins (EKS, GKE, AKS), {@code auth-provider} and files next to the kubeconfig (minikube) work, through
 *       fabric8; {@code insecure-skip-tls-verify} works with a warning.
 * </ul>
 */
public final class KubeconfigPolicy {
    private final String frontEnd;
    private final Path kubeconfigFile;
    private final boolean insecureAllowed;
    private final Consumer<String> warnings;

    private KubeconfigPolicy(String frontEnd, Path kubeconfigFile, boolean insecureAllowed, Consumer<String> warnings) {
        this.frontEnd = frontEnd;
        this.kubeconfigFile = kubeconfigFile;
        this.insecureAllowed = insecureAllowed;
        this.warnings = warnings;
    }

    /**
     * The Jenkins plugin's policy: inline credentials only.
     *
     * @param insecureSkipTlsVerifyAllowed whether an administrator allowed kubeconfigs that skip TLS verification
     */
    public static KubeconfigPolicy jenkins(boolean insecureSkipTlsVerifyAllowed) {
        return new KubeconfigPolicy("Jenkins", null, insecureSkipTlsVerifyAllowed, line -> { });
    }

    /**
     * The command line's policy: what kubectl accepts.
     *
     * @param kubeconfigFile the file the kubeconfig was read from; relative file names in it are resolved against its
     *     folder, as kubectl does
     * @param warnings where to say that something is accepted but unsafe (one line each)
     */
    public static KubeconfigPolicy commandLine(Path kubeconfigFile, Consumer<String> warnings) {
        return new KubeconfigPolicy("k8spd", Objects.requireNonNull(kubeconfigFile), true,
                Objects.requireNonNull(warnings));
    }

    /** "Jenkins" or "k8spd": who accepted or refused, for messages. */
    public String frontEnd() {
        return frontEnd;
    }

    /** Whether a kubeconfig may run commands ({@code exec}, {@code auth-provider}) and read files it names. */
    public boolean allowsCredentialPlugins() {
        return kubeconfigFile != null;
    }

    /** The file the kubeconfig came from, or {@code null} when it is not the user's own file. */
    Path kubeconfigFile() {
        return kubeconfigFile;
    }

    public boolean allowsInsecureSkipTlsVerify() {
        return insecureAllowed;
    }

    void warn(String line) {
        warnings.accept(line);
    }
}
