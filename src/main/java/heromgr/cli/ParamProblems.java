package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's -32602 answer ("invalid params for service.status: $.name: does not match the regex pattern
 * ^[a-z]…") in the words of the person who typed the command: which value, and what it may be. The daemon
 * checks params against the OpenRPC document's JSON Schema; {@link #PATTERNS} says each of the document's
 * patterns in words (a test holds the table to the document). What is not recognised passes through as sent.
 */
final class ParamProblems {
    /** Every "pattern" of the OpenRPC document, in words. */
    static final Map<String, String> PATTERNS = Map.of(
            "^[a-z][a-z0-9_]{0,63}$", "service names are lowercase letters, digits and _, start with a letter, at most 64 long",
            "^[a-z][a-z0-9_]{0,63}(@[a-z][a-z0-9_]{0,63})?$", "service names are lowercase letters, digits and _, start with a letter, at most 64 long (an @instance after one likewise)",
            "^[a-z][a-z0-9_-]{0,63}$", "action names are lowercase letters, digits, _ and -, start with a letter, at most 64 long",
            "^[a-z][a-z0-9_-]{0,31}$", "profiles are lowercase letters, digits, _ and -, start with a letter, at most 32 long",
            "^[A-Za-z0-9._+-]+$", "release tags are letters, digits and . _ + -",
            "^[A-Za-z_][A-Za-z0-9_]{0,255}$", "variable names are letters, digits and _, not starting with a digit",
            "^/[^\\u0000]*$", "it must be an absolute path",
            "^/[^\\s\\u0000]*$", "it must be a path starting with /, without spaces",
            "^[^\\u0000]*$", "it must not contain NUL characters",
            "^([0-9]{1,9}(s|m|h|d|w)|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))$",
            "times are a time ago (10m, 2h, 90s, 3d, 1w) or an ISO instant with its offset (2026-12-05T13:30:00Z)");

    /** Params that are not an option's name turned into kebab case: the option that sends them. */
    private static final Map<String, String> OPTIONS = Map.of(
            "log_rotation.max_bytes", "--log-max-bytes",
            "log_rotation.keep", "--log-keep");
    /** A path step into a list: "names[1]" (service.up/down's names: the services a start, stop, up or down names). */
    private static final Pattern ELEMENT = Pattern.compile("(\\w+)\\[(\\d+)]");
    private static final Pattern PREFIX = Pattern.compile("^invalid params for [\\w.]+: ");
    private static final Pattern PROBLEM = Pattern.compile("^\\$\\.([\\w.\\[\\]]+): (.*)$");
    private static final Pattern KEY = Pattern.compile("property '(.*)' name is not valid: (.*)");
    private static final Pattern REGEX = Pattern.compile("does not match the regex pattern (.*)");
    private static final Pattern MINIMUM = Pattern.compile("must have a minimum value of (\\S+)");
    private static final Pattern MAXIMUM = Pattern.compile("must have a maximum value of (\\S+)");
    private static final Pattern ENUMERATION = Pattern.compile("does not have a value in the enumeration \\[(.*)]");

    private ParamProblems() {
    }

    /** One line per problem of message, each naming the value the person gave (found in params) and its rule. */
    static List<String> describe(String message, JsonNode params) {
        var lines = new ArrayList<String>();
        for (String problem : PREFIX.matcher(message).replaceFirst("").split("; ")) lines.add(describeOne(problem, params));
        return lines;
    }

    private static String describeOne(String problem, JsonNode params) {
        Matcher m = PROBLEM.matcher(problem);
        if (!m.matches()) return problem;
        String param = m.group(1);
        String rule = m.group(2);
        JsonNode given = valueOf(param, params);
        // a map's key (--env's name): the key is what was given
        Matcher key = KEY.matcher(rule);
        if (key.matches()) {
            given = JsonNodeFactory.instance.textNode(key.group(1));
            rule = key.group(2);
        }
        String what = optionOf(param) + (given == null || given.isContainerNode() ? "" : " '" + given.asText() + "'");
        return "invalid " + what + ": " + inWords(rule);
    }

    /** What the person typed the param as: a service name, or the option that sends it. */
    private static String optionOf(String param) {
        if (param.equals("name") || param.matches("names\\[\\d+]")) return "service name";
        return OPTIONS.getOrDefault(param, "--" + param.replace('_', '-'));
    }

    /** The value sent at a problem's path ("name", "names[1]", "log_rotation.keep"); null when not found. */
    private static JsonNode valueOf(String path, JsonNode params) {
        JsonNode node = params;
        for (String step : path.split("\\.")) {
            if (node == null) return null;
            Matcher element = ELEMENT.matcher(step);
            node = element.matches() ? node.path(element.group(1)).get(Integer.parseInt(element.group(2))) : node.get(step);
        }
        return node;
    }

    private static String inWords(String rule) {
        Matcher m;
        if ((m = REGEX.matcher(rule)).find()) return PATTERNS.getOrDefault(m.group(1), rule);
        if ((m = MINIMUM.matcher(rule)).find()) return "it must be at least " + m.group(1);
        if ((m = MAXIMUM.matcher(rule)).find()) return "it must be at most " + m.group(1);
        if ((m = ENUMERATION.matcher(rule)).find()) return "it must be one of " + m.group(1);
        return rule;
    }
}
