package heromgr.it;

import heromgr.service.Ctx;
import heromgr.service.Role;
import heromgr.service.ScriptService;

import java.nio.file.Path;
import java.util.List;

/**
 * A script, as docs/writing-a-service.md shows it: a Python HTTP server under $HERO_HOME/opt/health_script, run by
 * the interpreter found on the daemon's PATH, healthy while its port accepts connections.
 */
record HealthScript(String interpreter, int port) implements ScriptService {

    @Override
    public String name() {
        return "health_script";
    }

    @Override
    public Path script(Ctx ctx) {
        return ctx.paths().home().resolve("opt/health_script/serve.py");
    }

    @Override
    public List<String> args(Ctx ctx, Role role) {
        return List.of(Integer.toString(port));
    }

    @Override
    public List<Integer> tcpPorts(Ctx ctx, Role role) {
        return List.of(port);
    }
}
