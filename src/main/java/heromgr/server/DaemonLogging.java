package heromgr.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.Logger;

/**
 * The foreground daemon's logging, set up in code: INFO and up to stderr and to
 * {@code $HEROMGR_LOG_DIR/heromgr.log} (10 MB, five older files kept), Jetty at WARN.
 * <p>
 * Code instead of a logback.xml because reading the XML loaded an XML parser and logback's configuration
 * interpreter: ~670 classes and ~0.2 s of every daemon start, and their metaspace for the daemon's whole life.
 * Logback finds this class through META-INF/services and runs it before looking for any XML file. It applies
 * only when {@link Daemon#run} has set the {@value #LOG_DIR} property (the real daemon); anything else (tests,
 * an in-process daemon) falls through to logback's usual lookup, e.g. the tests' logback-test.xml.
 */
public final class DaemonLogging extends ContextAwareBase implements Configurator {
    /** System property naming the daemon's log folder; set before the daemon's first log line. */
    static final String LOG_DIR = "HEROMGR_LOG_DIR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String dir = System.getProperty(LOG_DIR);
        if (dir == null) return ExecutionStatus.NEUTRAL;
        var stderr = new ConsoleAppender<ILoggingEvent>();
        stderr.setTarget("System.err");
        start(context, stderr, "STDERR", "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        root.addAppender(rollingFile(context, dir));
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext context, String dir) {
        var file = new RollingFileAppender<ILoggingEvent>();
        file.setContext(context);
        file.setFile(dir + "/heromgr.log");
        var window = new FixedWindowRollingPolicy();
        window.setContext(context);
        window.setParent(file);
        window.setFileNamePattern(dir + "/heromgr.%i.log");
        window.setMinIndex(1);
        window.setMaxIndex(5);
        window.start();
        var size = new SizeBasedTriggeringPolicy<ILoggingEvent>();
        size.setContext(context);
        size.setMaxFileSize(FileSize.valueOf("10MB"));
        size.start();
        file.setRollingPolicy(window);
        file.setTriggeringPolicy(size);
        start(context, file, "FILE", "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n");
        return file;
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name,
                              String pattern) {
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
    }
}
