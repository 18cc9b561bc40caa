package community;

import org.apache.camel.main.Main;

/** Starts the sign-up service from the folder holding {@code routes/} and {@code application.properties}. */
public final class SignupApplication {

    private SignupApplication() {
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }

    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.configure().addConfiguration(SignupConfiguration.class);
        return main;
    }
}
