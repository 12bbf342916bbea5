package heromgr.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of a /metrics answer (Prometheus text format), parsed strictly enough that a malformed line fails. */
record PrometheusText(List<PrometheusText.Sample> samples) {
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusText parse(String text) {
        var samples = new ArrayList<Sample>();
        for (String line : text.lines().toList()) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            var labels = new LinkedHashMap<String, String>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertThat(end).as("labels of %s", line).isEqualTo(m.group(2).length());
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new PrometheusText(List.copyOf(samples));
    }

    /** The samples of this name whose labels include all of these. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The one sample of this name with these labels (among others); fails when there is none or several. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        assertThat(found).as("%s%s", name, labels).hasSize(1);
        return found.getFirst().value();
    }

    /** The sample's value, 0 when there is none (a counter not yet incremented). */
    double valueOrZero(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        return found.isEmpty() ? 0 : value(name, labels);
    }
}
