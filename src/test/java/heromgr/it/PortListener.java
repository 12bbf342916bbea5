package heromgr.it;

import heromgr.service.Ctx;
import heromgr.service.ProgramService;
import heromgr.service.Role;

import java.nio.file.Path;
import java.util.List;

/**
 * A plain binary, as docs/writing-a-service.md shows it: a released program (here a small C server, compiled by the
 * test) unpacked under $HERO_HOME/opt/port_listener, run where it is with its port as argument, healthy while that
 * port accepts connections.
 */
record PortListener(int port) implements ProgramService {

    @Override
    public String name() {
        return "port_listener";
    }

    @Override
    public Path program(Ctx ctx) {
        return ctx.paths().home().resolve("opt/port_listener/port_listener");
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
