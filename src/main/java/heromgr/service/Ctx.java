package heromgr.service;

import heromgr.fs.HeroPaths;
import heromgr.proc.ProcessSupervisor;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a service class may use: the Hero paths, the supervisor (through its interface), the build, install and
 * release-download library, and the daemon's environment. appHome is where heromgr itself is installed (bundled examples live there).
 */
public record Ctx(HeroPaths paths, ProcessSupervisor supervisor, CargoBuild cargo, BinaryInstaller installer,
                  ReleaseInstall releases, Map<String, String> env, Path appHome) {

    /**
     * This context for one operation whose release downloads report their progress and whose builds their output:
     * the operation passes it to the service class, which builds and installs as always and need not know anyone is
     * watching.
     */
    public Ctx reporting(DownloadProgress progress, BuildOutput output) {
        return new Ctx(paths, supervisor, cargo == null ? null : cargo.reporting(output),
                installer, releases == null ? null : releases.reporting(progress), env, appHome);
    }
}
