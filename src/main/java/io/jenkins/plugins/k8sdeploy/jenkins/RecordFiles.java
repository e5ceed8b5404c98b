package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rollout records of one build, as files in its build directory: {@code k8s-rollouts/1.json}, {@code 2.json}, ...,
 * one {@link RecordJson} document per rollout, numbered in the order the rollouts ended. Plain Java, tested without
 * Jenkins.
 *
 * <p>Files beside {@code build.xml} rather than fields in it: a canary's record with its analyses' measurements runs to
 * tens of kilobytes, and {@code build.xml} is read whenever Jenkins loads the build (build history, job page), the
 * records only when a page shows them.
 *
 * <p>No secret is written. A record holds none by design: the only type that carries credentials,
 * {@code ClusterConnection}, never reaches one (the record keeps {@code serverUrl()} and what the cluster answered).
 * The one way a secret could still ride along is user info in the server URL ({@code https://user:token@host}, which a
 * kubeconfig may hold and the engine accepts): it is cut from every field before the file is written.
 */
final class RecordFiles {
    static final String DIRECTORY = "k8s-rollouts";
    private static final Pattern NAME = Pattern.compile("([1-9][0-9]{0,8})\\.json");
    private static final Logger LOGGER = Logger.getLogger(RecordFiles.class.getName());

    private RecordFiles() {}

    /**
     * Writes {@code record} as the next file of {@code buildDir} (atomically: a page never reads half a file) and
     * returns it as stored, numbered (1 for the first). Callers serialize the calls for one build directory.
     */
    static RolloutView append(Path buildDir, DeployRecord record) throws IOException {
        Path dir = buildDir.resolve(DIRECTORY);
        Files.createDirectories(dir);
        int n = numbers(dir).stream().max(Comparator.naturalOrder()).orElse(0) + 1;
        String json = withoutUserInfo(record);
        Path tmp = Files.createTempFile(dir, "." + n + "-", ".tmp");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(n + ".json"), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new RolloutView(n, RecordJson.fromJson(json));
    }

    /**
     * Every record of {@code buildDir} in order, each with its number. A file that cannot be read or parsed is left
     * out (and logged): one damaged file must not take the build page down.
     */
    static List<RolloutView> read(Path buildDir) {
        Path dir = buildDir.resolve(DIRECTORY);
        List<RolloutView> views = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return views;
        }
        try {
            for (int n : numbers(dir)) {
                Path file = dir.resolve(n + ".json");
                try {
                    views.add(new RolloutView(n, RecordJson.fromJson(Files.readString(file, StandardCharsets.UTF_8))));
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "Cannot read the rollout record " + file + "; the build page leaves it"
                            + " out.", e);
                }
            }
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot list the rollout records in " + dir + ".", e);
        }
        return views;
    }

    /** The record as JSON with the server URL's user info, if any, removed wherever it appears. */
    static String withoutUserInfo(DeployRecord record) {
        String json = RecordJson.toJson(record);
        String userInfo = userInfo(record.server());
        // URI user info has no '"', '\' or control characters, so it reads the same inside JSON strings.
        return userInfo == null ? json : json.replace(userInfo + "@", "");
    }

    /** The raw user info of {@code url} ("user:token"), or null when it has none or is not a URL. */
    static String userInfo(String url) {
        if (url == null) {
            return null;
        }
        try {
            String info = new URI(url.strip()).getRawUserInfo();
            return info == null || info.isEmpty() ? null : info;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The numbers of the record files in {@code dir}, ascending (10 after 9). */
    private static List<Integer> numbers(Path dir) throws IOException {
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Path name = f.getFileName();
                if (name == null) {
                    continue;
                }
                Matcher m = NAME.matcher(name.toString());
                if (m.matches()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        numbers.sort(Comparator.naturalOrder());
        return numbers;
    }
}
