package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.Ctx;

/** A service's TCP port: its conventional number, or the one the daemon's environment names. */
final class ServicePorts {
    private ServicePorts() {
    }

    static int fromEnv(Ctx ctx, String variable, int conventional) {
        String value = ctx.env().get(variable);
        if (value == null || value.isBlank()) return conventional;
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below, with the variable's name
        }
        throw new ApiException(ErrorCode.START_FAILED, variable + " must be a TCP port 1..65535, not '" + value + "'");
    }
}
