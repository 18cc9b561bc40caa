package community;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import community.dynamodb.StoreNotStarted;

/**
 * Starts the sign-up service from the folder holding {@code routes/} and {@code application.properties}, and,
 * when present, the git-ignored {@code signup.env} with secrets.
 */
public final class SignupApplication {

    private static final String VIRTUAL_THREADS = "camel.threads.virtual.enabled";

    private SignupApplication() {
    }

    public static void main(String[] args) throws Exception {
        try {
            chooseLogFormat(System.getenv("SIGNUP_LOG_FORMAT"));
            create().run(args);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Settings.InvalidSetting || t instanceof StoreNotStarted) {
                    // what the operator has to change, in one line, not a stack trace
                    System.err.println("Not starting: " + t.getMessage());
                    // halt, not exit: Camel's shutdown hook would say next that a SIGTERM stopped it
                    Runtime.getRuntime().halt(2);
                }
            }
            throw e;
        }
    }

    /**
     * The log's format for logback.xml, before anything logs: {@code text} unless SIGNUP_LOG_FORMAT says
     * {@code json}. Logback took the variable's value as the name of an appender, so that one set to nothing (as a
     * compose file passes an unset {@code ${VAR}}) or misspelt ({@code JSON}) left the service logging nothing at all.
     */
    static void chooseLogFormat(String format) {
        String chosen = format == null || format.isBlank() ? "text" : format.strip().toLowerCase(Locale.ROOT);
        if (!chosen.equals("text") && !chosen.equals("json")) {
            throw new Settings.InvalidSetting("SIGNUP_LOG_FORMAT must be text or json: '" + format + "'");
        }
        System.setProperty("signup.log-format", chosen);
    }

    public static Main create() {
        // On Java 21 and later Camel runs its thread pools on virtual threads, so that a step's blocking call
        // (aws2-ddb, http) holds no platform thread while it waits; -Dcamel.threads.virtual.enabled=false keeps
        // platform threads. Read once, before Camel makes its first pool.
        if (Runtime.version().feature() >= 21 && System.getProperty(VIRTUAL_THREADS) == null) {
            System.setProperty(VIRTUAL_THREADS, "true");
        }
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport starting) {
                // environment variables through EnvironmentSettings, where one set to nothing is one not set
                if (starting.getCamelContext().getPropertiesComponent() instanceof PropertiesComponent properties) {
                    properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
                    properties.addPropertiesSource(new EnvironmentSettings());
                }
            }

            @Override
            public void beforeConfigure(BaseMainSupport starting) {
                // before Camel looks for the routes, which would end in a stack trace
                Settings.requireTheFolder(starting.getCamelContext());
            }
        });
        Settings.fromEnvFile(Path.of("signup.env"), System.getenv()).forEach(main::addOverrideProperty);
        main.configure().addConfiguration(SignupConfiguration.class);
        return main;
    }
}
