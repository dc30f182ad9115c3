package dev.lb.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 29: "lb: WARN AnsibleProcess: ..." reached the user, with the class name and, for an error with an exception,
 * its stack trace. lb's log lines say their level in words and nothing of the code.
 */
class LogLinesTest {
    private static String format(Level level, String message, Throwable t) throws Exception {
        String xml = Files.readString(Path.of("src/main/resources/logback.xml"));
        Matcher m = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
        m.find();
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(m.group(1));
        layout.start();
        LoggingEvent e = new LoggingEvent("x", context.getLogger("dev.lb.controller.ansible.AnsibleProcess"), level,
                message, t, null);
        return layout.doLayout(e);
    }

    @Test
    void aWarningIsOneLineWithoutTheClassName() throws Exception {
        assertEquals("lb: warning: the guard of ansible-playbook did not end within 3000 ms; killing the tree"
                + System.lineSeparator(), format(Level.WARN, "the guard of ansible-playbook did not end within 3000 ms;"
                + " killing the tree", null));
    }

    @Test
    void anErrorWithAnExceptionIsOneLineWithoutTheStackTrace() throws Exception {
        assertEquals("lb: error: ingest failed; the run is ended" + System.lineSeparator(),
                format(Level.ERROR, "ingest failed; the run is ended", new IllegalStateException("boom")));
    }
}
