package community;

import java.nio.file.Path;

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
