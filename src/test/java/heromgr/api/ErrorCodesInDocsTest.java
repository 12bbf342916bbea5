package heromgr.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md and docs/*.md name error codes the way the OpenRPC document does. Every code written there (-32NNN)
 * must be one of the document's and be followed by the document's name for it, as words in any case
 * ("-32011 not applicable", "-32011 `NotApplicable`", "(-32602 invalid params, naming the field)"), so a wrong
 * number or a meaning the document does not give it fails here. The README's list holds every domain code.
 */
class ErrorCodesInDocsTest {
    private static final Pattern CODE = Pattern.compile("(?<![\\d-])-32\\d{3}(?!\\d)");

    @Test
    void everyCodeInTheDocsIsFollowedByTheDocumentsNameForIt() throws IOException {
        Map<Integer, DocumentedError> byCode = DocumentedError.all().stream()
                .collect(Collectors.toMap(DocumentedError::code, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (Path file : docs()) {
            String text = Files.readString(file);
            Matcher m = CODE.matcher(text);
            while (m.find()) {
                int code = Integer.parseInt(m.group());
                String where = file + ":" + (1 + text.substring(0, m.start()).chars().filter(c -> c == '\n').count());
                DocumentedError e = byCode.get(code);
                if (e == null) {
                    problems.add(where + ": " + code + " is not a code of the OpenRPC document");
                } else if (!namePattern(e).matcher(text).region(m.end(), text.length()).lookingAt()) {
                    String written = text.substring(m.end(), Math.min(text.length(), m.end() + 30)).replace('\n', ' ');
                    problems.add(where + ": " + code + " is " + e.name() + " in the OpenRPC document: write \"" + code + " "
                            + String.join(" ", e.words()) + "\", not \"" + code + written + "…\"");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theReadmeListsEveryDomainCode() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<Integer> domain = DocumentedError.all().stream().map(DocumentedError::code).filter(c -> c >= -32099 && c <= -32000).toList();
        assertThat(domain).isNotEmpty();
        for (int code : domain) assertThat(readme).as("README.md's error list").contains(String.valueOf(code));
    }

    /** The name's words in order, any case, joined by nothing, blanks, _ or -; after blanks, a backtick or a parenthesis. */
    private static Pattern namePattern(DocumentedError e) {
        String words = e.words().stream().map(Pattern::quote).collect(Collectors.joining("[\\s_-]*"));
        return Pattern.compile("[\\s`(*]*" + words + "(?![\\p{Alpha}])", Pattern.CASE_INSENSITIVE);
    }

    private static List<Path> docs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            return Stream.concat(Stream.of(Path.of("README.md")), files.filter(f -> f.toString().endsWith(".md")).sorted()).toList();
        }
    }
}
