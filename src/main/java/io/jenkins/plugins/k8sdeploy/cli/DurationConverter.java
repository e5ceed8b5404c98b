package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "90s", "5m", "1h" (or ISO-8601 "PT5M") to a Duration. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (DeployException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
