package community;

import java.nio.file.Path;

import org.apache.camel.main.Main;

/**
 * Starts the sign-up service from the folder holding {@code routes/} and {@code application.properties}, and,
 * when present, the git-ignored {@code signup.env} with secrets.
 */
public final class SignupApplication {

    private SignupApplication() {
    }

    public static void main(String[] args) throws Exception {
        try {
            create().run(args);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Settings.InvalidSetting invalid) {
                    System.err.println("Not starting: " + invalid.getMessage());
                    System.exit(2);
                }
            }
            throw e;
        }
    }

    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        Settings.fromEnvFile(Path.of("signup.env"), System.getenv()).forEach(main::addOverrideProperty);
        main.configure().addConfiguration(SignupConfiguration.class);
        return main;
    }
}
