package heromgr.cli;

import heromgr.bundle.Bundle;
import heromgr.bundle.Installation;
import heromgr.fs.HeroPaths;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * `heromgr self install [--home DIR]`: the bundle this heromgr runs from (an unpacked release, or the one `mvn package`
 * made in a checkout) copied to $HERO_HOME/lib/heromgr/<version>/, and $HERO_HOME/bin/heromgr pointed at it.
 */
final class SelfInstallCommand extends LeafCommand {
    private static final String HOME = "--home";
    private static final String FORCE = "--force";

    SelfInstallCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("install", "Install this heromgr bundle into a Hero home: $HERO_HOME/lib/heromgr/<version>/,",
                "with $HERO_HOME/bin/heromgr pointing at it; the version it replaces is kept for a rollback.");
        spec.addOption(valueOption(HOME, "DIR", Path.class, "HERO_HOME to install into (default: $HERO_HOME, else ~/hero)."));
        spec.addOption(flagOption(FORCE, "Copy the bundle even when its version is installed already."));
        return spec;
    }

    @Override
    public Integer call() {
        Optional<Bundle> bundle = Bundle.ofThisProgram();
        if (bundle.isEmpty()) {
            terminal.err().println("heromgr: this heromgr is not a bundle (no runtime/ and VERSION beside its jar); "
                    + "in a source checkout run `mvn package` first, which makes one in target/bundle/");
            return ExitCode.FAILED;
        }
        HeroPaths paths = HeroPaths.fromEnvironment(terminal.env(), option(HOME));
        try {
            Installation.Installed done = new Installation(paths).install(bundle.get(), Boolean.TRUE.equals(option(FORCE)));
            terminal.out().println("heromgr " + done.version() + (done.copied() ? " installed in " : " already installed in ")
                    + done.folder());
            terminal.out().println(paths.bin().resolve("heromgr") + " -> " + done.version()
                    + done.previous().map(p -> " (was " + p + ", kept for a rollback)").orElse(""));
            if (!onPath(paths.bin())) terminal.out().println("add " + paths.bin() + " to PATH to run it as `heromgr`");
            return ExitCode.OK;
        } catch (IOException e) {
            terminal.err().println("heromgr: install into " + paths.home() + " failed: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private boolean onPath(Path bin) {
        String path = terminal.env().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Path.of(dir).toAbsolutePath().normalize().equals(bin)) return true;
        }
        return false;
    }
}
