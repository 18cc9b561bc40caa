package community.steps;

import java.util.List;
import java.util.Objects;

/** Replaces configured secrets with asterisks in anything that may reach a log or an execution document. */
public final class SecretMask {

    private static final String MASK = "****";
    private final List<String> secrets;

    public SecretMask(List<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= 4).toList();
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
