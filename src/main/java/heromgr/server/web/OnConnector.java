package heromgr.server.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Passes on only the requests that came in on the named connector: one server, a handler chain per endpoint. */
public final class OnConnector extends Handler.Wrapper {
    private final String connector;

    public OnConnector(String connector, Handler next) {
        super(next);
        this.connector = connector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!connector.equals(request.getConnectionMetaData().getConnector().getName())) return false;
        return super.handle(request, response, callback);
    }
}
