package community;

import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.util.IOHelper;

/**
 * Environment variables as settings, the way Camel reads them ({@code slack.timeout} is {@code SLACK_TIMEOUT}),
 * except that a variable set to nothing is one not set: {@code SLACK_TIMEOUT=} in a compose file, or a
 * {@code ${VAR}} of one that is unset, leaves the default in effect instead of stopping the start with a stack
 * trace; and a value is taken without the spaces around it, as signup.env's are: a quoted {@code " https://..."}
 * in a compose file or a unit's {@code Environment=} reached the routes as written, and stopped the start with a
 * stack trace (or sent a key with its spaces). Camel's own lookup, which takes both as they are, is turned off for
 * it ({@link SignupApplication}). Ahead
 * of application.properties, as Camel's; after what the service works out from them (the override properties).
 */
final class EnvironmentSettings implements PropertiesSource, Ordered {

    @Override
    public String getName() {
        return "OS Environment Variable";
    }

    @Override
    public String getProperty(String name) {
        String value = IOHelper.lookupEnvironmentVariable(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }
}
