package io.jenkins.plugins.k8sdeploy.engine.record;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Log lines that are also kept, with their time, for the record. */
public final class Timeline implements Consumer<String> {
    private final Clock clock;
    private final Consumer<String> log;
    private final List<DeployRecord.TimelineEntry> entries = new ArrayList<>();

    public Timeline(Clock clock, Consumer<String> log) {
        this.clock = clock;
        this.log = log;
    }

    @Override
    public synchronized void accept(String line) {
        entries.add(new DeployRecord.TimelineEntry(clock.instant(), line));
        log.accept(line);
    }

    public synchronized List<DeployRecord.TimelineEntry> entries() {
        return List.copyOf(entries);
    }
}
