package heromgr.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms of docs/architecture.md, read from the sources: the arrows between packages run one way (no cycle),
 * no room reaches one it must not, and no package holds more than a quarter of the code.
 */
class RoomsTest {
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("services"));
    private static final Pattern PACKAGE = Pattern.compile("^package (heromgr[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(heromgr(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
    private static final Pattern INLINE = Pattern.compile("[^\\w.\"](heromgr(?:\\.[a-z]\\w*)+)\\.[A-Z]\\w*");

    /** Rooms that must not be reached from a room, by prefix (a room's sub-rooms count as the room). */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "heromgr.cli", Set.of("heromgr.service", "heromgr.manager", "heromgr.proc", "heromgr.rpc", "heromgr.services"),
            "heromgr.rpc", Set.of("heromgr.service", "heromgr.proc", "heromgr.server", "heromgr.cli"),
            "heromgr.bundle", Set.of("heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.proc", "heromgr.services"),
            "heromgr.manager", Set.of("heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.services", "heromgr.proc.embedded"),
            "heromgr.service", Set.of("heromgr.manager", "heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.services"),
            "heromgr.proc", Set.of("heromgr.service", "heromgr.manager", "heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.services"),
            "heromgr.services", Set.of("heromgr.manager", "heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.proc"),
            "heromgr.api", Set.of("heromgr."),
            "heromgr.fs", Set.of("heromgr.service", "heromgr.manager", "heromgr.rpc", "heromgr.server", "heromgr.cli", "heromgr.proc"));

    private record Source(Path file, String pkg, Set<String> uses, long lines) {
    }

    private static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) out.add(read(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Source read(Path f) throws IOException {
        String text = Files.readString(f);
        Matcher p = PACKAGE.matcher(text);
        assertThat(p.find()).as("package line of %s", f).isTrue();
        Set<String> uses = new TreeSet<>();
        for (Matcher m = IMPORT.matcher(text); m.find(); ) uses.add(m.group(1));
        for (Matcher m = INLINE.matcher(text); m.find(); ) uses.add(m.group(1));
        uses.remove(p.group(1));
        long lines = text.lines().filter(l -> !l.isBlank()).count();
        return new Source(f, p.group(1), uses, lines);
    }

    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> g = new TreeMap<>();
        for (Source s : sources()) g.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).addAll(s.uses());
        return g;
    }

    @Test
    void theArrowsBetweenPackagesRunOneWay() {
        Map<String, Set<String>> g = graph();
        List<String> cycles = new ArrayList<>();
        for (String from : g.keySet()) {
            for (String to : g.get(from)) {
                if (reaches(g, to, from, new TreeSet<>())) cycles.add(from + " -> " + to + " -> … -> " + from);
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    private static boolean reaches(Map<String, Set<String>> g, String from, String target, Set<String> seen) {
        if (from.equals(target)) return true;
        if (!seen.add(from)) return false;
        for (String next : g.getOrDefault(from, Set.of())) {
            if (reaches(g, next, target, seen)) return true;
        }
        return false;
    }

    @Test
    void noRoomReachesOneItMustNot() {
        List<String> wrong = new ArrayList<>();
        for (Source s : sources()) {
            for (var rule : FORBIDDEN.entrySet()) {
                if (!inRoom(s.pkg(), rule.getKey())) continue;
                for (String used : s.uses()) {
                    for (String banned : rule.getValue()) {
                        boolean hit = banned.endsWith(".") ? used.startsWith(banned) : inRoom(used, banned);
                        if (hit && !inRoom(used, rule.getKey())) wrong.add(s.file() + " uses " + used);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean inRoom(String pkg, String room) {
        return pkg.equals(room) || pkg.startsWith(room + ".");
    }

    @Test
    void noPackageHoldsMoreThanAQuarterOfTheCode() {
        Map<String, Long> lines = new HashMap<>();
        long total = 0;
        for (Source s : sources()) {
            lines.merge(s.pkg(), s.lines(), Long::sum);
            total += s.lines();
        }
        long cap = total / 4;
        assertThat(lines).allSatisfy((pkg, n) -> assertThat(n).as("non-blank lines in %s of %s", pkg, 0L + cap * 4).isLessThanOrEqualTo(cap));
    }
}
