package heromgr.bundle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's runtime holds every module the code needs: jdeps reads heromgr's jar and its libraries (as packaged in
 * target/, so after `mvn package`) and the modules it names must all be in src/bundle/modules, which bin/heromgr-bundle
 * links. A module missing there fails here, not on a user's machine.
 */
class BundleModulesIT {

    @Test
    void theRuntimeHoldsEveryModuleTheCodeUses() throws IOException {
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps", "--multi-release", "25",
                "target/heromgr.jar"));
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(Path.of("target/lib"), "*.jar")) {
            libs.forEach(jar -> args.add(jar.toString()));
        }
        var out = new StringWriter();
        var err = new StringWriter();
        int code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        Set<String> needed = new TreeSet<>(Arrays.asList(out.toString().strip().split(",")));
        assertThat(needed).as("jdeps' answer").contains("java.base");

        Set<String> linked = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("src/bundle/modules"))) {
            if (!line.isBlank() && !line.startsWith("#")) linked.add(line.strip());
        }
        assertThat(linked).as("src/bundle/modules against what jdeps finds the code using").containsAll(needed);
        Path release = builtRuntimeRelease();
        String modules = Files.readAllLines(release).stream().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        assertThat(Arrays.asList(modules.substring("MODULES=".length()).replace("\"", "").split(" ")))
                .as("the modules of the bundle's runtime (%s)", release).containsAll(linked);
    }

    /** The release file of the runtime in the bundle `mvn package` made in target/bundle/. */
    private static Path builtRuntimeRelease() throws IOException {
        try (DirectoryStream<Path> built = Files.newDirectoryStream(Path.of("target/bundle"), "heromgr-*")) {
            return built.iterator().next().resolve("runtime/release");
        }
    }
}
