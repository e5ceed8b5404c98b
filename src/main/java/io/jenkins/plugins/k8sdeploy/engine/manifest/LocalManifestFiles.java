package io.jenkins.plugins.k8sdeploy.engine.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Manifest files on the local disk, relative to a base directory. */
public final class LocalManifestFiles implements ManifestFiles {
    private static final int MAX_GLOB_DEPTH = 20;
    private final Path base;

    public LocalManifestFiles(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    @Override
    public List<String> expand(String pattern) throws IOException {
        Path direct = base.resolve(pattern).normalize();
        if (Files.isRegularFile(direct)) {
            return List.of(relative(direct));
        }
        if (Files.isDirectory(direct)) {
            try (Stream<Path> files = Files.list(direct)) {
                return files.filter(Files::isRegularFile)
                        .filter(p -> isManifestName(p.getFileName().toString()))
                        .map(this::relative)
                        .sorted()
                        .toList();
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace('\\', '/'));
        try (Stream<Path> files = Files.walk(base, MAX_GLOB_DEPTH)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(base.relativize(p)))
                    .map(this::relative)
                    .sorted()
                    .toList();
        }
    }

    @Override
    public String read(String file, int maxChars) throws IOException {
        try (InputStream in = Files.newInputStream(base.resolve(file))) {
            byte[] bytes = in.readNBytes(maxChars + 1);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static boolean isManifestName(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private String relative(Path p) {
        return base.relativize(p).toString().replace('\\', '/');
    }
}
