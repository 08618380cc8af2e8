package io.relaymesh.node.metrics;

import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests that scrape {@code /metrics}: it
 * checks what Prometheus itself would reject (names, label syntax and escapes, values, families declared once,
 * samples of a family after its TYPE, duplicate series, histogram buckets that are cumulative and end at +Inf
 * equal to {@code _count}) and rejects anything else with the line and the reason.
 */
public final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its TYPE, HELP and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {

        /** Samples whose labels include all of {@code labels} (name, value, name, value, ...). */
        public List<Sample> with(String... labels) {
            List<Sample> out = new ArrayList<>();
            for (Sample s : samples) {
                boolean all = true;
                for (int i = 0; i + 1 < labels.length; i += 2) {
                    all &= labels[i + 1].equals(s.labels().get(labels[i]));
                }
                if (all) {
                    out.add(s);
                }
            }
            return out;
        }

        /** The one sample named {@code sampleName} with these labels (among others); fails if not exactly one. */
        public double value(String sampleName, String... labels) {
            List<Sample> matching = with(labels).stream().filter(s -> s.name().equals(sampleName)).toList();
            if (matching.size() != 1) {
                throw new AssertionError(matching.size() + " samples " + sampleName + " with "
                        + List.of(labels) + " in " + samples);
            }
            return matching.getFirst().value();
        }
    }

    private PrometheusText() {
    }

    /** Families by name, in the order they appear. */
    public static Map<String, Family> parse(String text) throws ProtocolException {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        String current = null;
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ProtocolException("the exposition must end with a line feed (truncated?)");
        }
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + ": ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    String name = parts[2];
                    String type = parts.length == 4 ? parts[3] : "";
                    checkName(name, where);
                    if (!TYPES.contains(type)) {
                        throw new ProtocolException(where + "unknown type '" + type + "' for " + name);
                    }
                    if (types.putIfAbsent(name, type) != null) {
                        throw new ProtocolException(where + "second TYPE line for " + name);
                    }
                    samples.put(name, new ArrayList<>());
                    current = name;
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    checkName(parts[2], where);
                    if (helps.putIfAbsent(parts[2], parts.length == 4 ? parts[3] : "") != null) {
                        throw new ProtocolException(where + "second HELP line for " + parts[2]);
                    }
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = familyOf(sample.name(), current, types);
            if (family == null) {
                throw new ProtocolException(where + "sample " + sample.name() + " is not of the family declared "
                        + "last (" + current + ")");
            }
            if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                throw new ProtocolException(where + "duplicate series " + sample.name() + sample.labels());
            }
            samples.get(family).add(sample);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : types.entrySet()) {
            Family f = new Family(e.getKey(), e.getValue(), helps.getOrDefault(e.getKey(), ""),
                    Collections.unmodifiableList(samples.get(e.getKey())));
            if (f.type().equals("histogram")) {
                checkHistogram(f);
            }
            out.put(e.getKey(), f);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String familyOf(String sampleName, String current, Map<String, String> types) {
        if (current == null) {
            return null;
        }
        String type = types.get(current);
        List<String> allowed = switch (type) {
            case "counter" -> List.of(current, current + "_total", current + "_created");
            case "histogram" -> List.of(current + "_bucket", current + "_count", current + "_sum", current + "_created");
            case "summary" -> List.of(current, current + "_count", current + "_sum", current + "_created");
            default -> List.of(current);
        };
        return allowed.contains(sampleName) ? current : null;
    }

    private static Sample sample(String line, String where) throws ProtocolException {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(name, where);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new ProtocolException(where + "label set not closed");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new ProtocolException(where + "label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new ProtocolException(where + "bad label name '" + label + "'");
                }
                i = eq + 1;
                if (i >= line.length() || line.charAt(i) != '"') {
                    throw new ProtocolException(where + "label value of " + label + " is not quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new ProtocolException(where + "label value of " + label + " not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= line.length()) {
                            throw new ProtocolException(where + "escape at end of line");
                        }
                        char e = line.charAt(i++);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new ProtocolException(where + "bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new ProtocolException(where + "label " + label + " twice");
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new ProtocolException(where + "expected ',' or '}' after label " + label);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new ProtocolException(where + "no value after " + name);
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new ProtocolException(where + "expected a value and an optional timestamp");
        }
        double value = number(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ProtocolException(where + "bad timestamp '" + rest[1] + "'");
            }
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value);
    }

    private static double number(String text, String where) throws ProtocolException {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                break;
        }
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-' || text.charAt(0) == '+'
                || text.charAt(0) == '.')) {
            throw new ProtocolException(where + "bad value '" + text + "'");
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ProtocolException(where + "bad value '" + text + "'");
        }
    }

    private static void checkName(String name, String where) throws ProtocolException {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new ProtocolException(where + "bad metric name '" + name + "'");
        }
    }

    /** Per label set (le aside): buckets cumulative, the last one +Inf and equal to _count. */
    private static void checkHistogram(Family f) throws ProtocolException {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            Map<String, String> key = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                if (key.remove("le") == null) {
                    throw new ProtocolException(f.name() + ": bucket without le");
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(key, s.value());
            }
        }
        if (buckets.isEmpty()) {
            throw new ProtocolException(f.name() + ": histogram without buckets");
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : e.getValue()) {
                double bound = number(b.labels().get("le"), f.name() + ": ");
                if (bound <= previousBound) {
                    throw new ProtocolException(f.name() + ": bucket bounds not increasing at le=" + b.labels().get("le"));
                }
                if (b.value() < previousCount) {
                    throw new ProtocolException(f.name() + ": buckets not cumulative at le=" + b.labels().get("le"));
                }
                previousBound = bound;
                previousCount = b.value();
            }
            if (previousBound != Double.POSITIVE_INFINITY) {
                throw new ProtocolException(f.name() + ": last bucket is not le=+Inf");
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != previousCount) {
                throw new ProtocolException(f.name() + ": _count " + count + " differs from the +Inf bucket " + previousCount);
            }
        }
    }
}
