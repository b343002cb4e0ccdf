package org.jrnn.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** Reads durations such as {@code 90s}, {@code 15m}, {@code 1h30m} or plain seconds. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        }
        Matcher m = PART.matcher(v);
        long millis = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            millis += Math.round(n * switch (m.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                default -> 1;
            });
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (examples: 90s, 15m, "
                    + "1h30m, 45)");
        }
        return Duration.ofMillis(millis);
    }
}
