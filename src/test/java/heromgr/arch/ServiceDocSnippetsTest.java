package heromgr.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java snippets of docs/writing-a-service.md are the real classes' code: a snippet whose first line names a
 * source file ({@code // services/heromgr/services/Redis.java}) has each of its members, comments and whitespace
 * aside, in that file, so a snippet cannot drift from the class (or speak words the class no longer does).
 */
class ServiceDocSnippetsTest {
    private static final Path DOC = Path.of("docs/writing-a-service.md");
    private static final Pattern BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("// ((?:services|src)/\\S+\\.java)");
    private static final Pattern TYPE = Pattern.compile("^(public )?(final )?(class|record|interface) ");

    @Test
    void eachSnippetThatNamesItsClassIsThatClassesCode() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Matcher block = BLOCK.matcher(Files.readString(DOC)); block.find(); ) {
            String snippet = block.group(1);
            Matcher source = SOURCE.matcher(snippet.lines().findFirst().orElse(""));
            if (!source.find()) continue;
            checked++;
            String code = bare(Files.readString(Path.of(source.group(1))));
            for (String member : members(snippet)) {
                if (!code.contains(member)) missing.add(source.group(1) + " lacks: " + member);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(checked).as("snippets naming their source in " + DOC).isGreaterThanOrEqualTo(10);
    }

    /** The snippet's members, bare; a whole type gives its header and the members inside it. */
    private static List<String> members(String snippet) {
        String code = bare(snippet);
        if (!TYPE.matcher(snippet.strip()).find()) return split(code);
        int open = code.indexOf('{');
        List<String> out = new ArrayList<>(List.of(code.substring(0, open + 1)));
        out.addAll(split(code.substring(open + 1, code.lastIndexOf('}'))));
        return out;
    }

    /** Top-level members: each ends at a ';' or a '}' at depth 0. */
    private static List<String> split(String code) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') depth++;
            if (c == '}') depth--;
            if (depth == 0 && (c == ';' || c == '}')) {
                out.add(code.substring(from, i + 1));
                from = i + 1;
            }
        }
        return out;
    }

    /** Java text without comments and without whitespace outside string and char literals (text blocks too). */
    private static String bare(String java) {
        var out = new StringBuilder();
        int i = 0;
        while (i < java.length()) {
            if (java.startsWith("\"\"\"", i)) {
                int end = java.indexOf("\"\"\"", i + 3) + 3;
                out.append(java, i, end);
                i = end;
            } else if (java.charAt(i) == '"' || java.charAt(i) == '\'') {
                char quote = java.charAt(i);
                int end = i + 1;
                while (java.charAt(end) != quote) end += java.charAt(end) == '\\' ? 2 : 1;
                out.append(java, i, end + 1);
                i = end + 1;
            } else if (java.startsWith("//", i)) {
                i = java.indexOf('\n', i) < 0 ? java.length() : java.indexOf('\n', i);
            } else if (java.startsWith("/*", i)) {
                i = java.indexOf("*/", i + 2) + 2;
            } else {
                if (!Character.isWhitespace(java.charAt(i))) out.append(java.charAt(i));
                i++;
            }
        }
        return out.toString();
    }
}
