package heromgr.manager;

import heromgr.api.InstallMode;
import heromgr.service.Ctx;
import heromgr.testkit.TestService;
import heromgr.service.InstallResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A service class as a test writes one: the Hero defaults (one "server" action running bin/NAME_server, judged by
 * GET /health on its rpc.sock), depending on the given services. Its quirk is where releases come from: files it
 * writes itself instead of the forge, installed (and kept for a rollback) by the real installer. A version starting
 * with {@value #NOT_ELF} is not an ELF file, which the installer refuses.
 */
record ReleasedService(String name, List<String> dependsOn) implements TestService {
    static final String NOT_ELF = "not-elf";

    static ReleasedService of(String name, String... dependsOn) {
        return new ReleasedService(name, List.of(dependsOn));
    }

    @Override
    public InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        Path release = ctx.paths().home().resolve("releases").resolve(version).resolve(name + "_server");
        String content = version.startsWith(NOT_ELF) ? "#!/bin/sh\n" : "\u007fELF " + name + " " + version + "\n";
        try {
            Files.createDirectories(release.getParent());
            Files.writeString(release, content, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ctx.installer().install(name, mode, List.of(release), version, force);
    }
}
