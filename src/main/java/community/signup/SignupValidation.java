package community.signup;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** DESIGN.md's rules for a sign-up's fields, saying what is wrong with which field. */
public final class SignupValidation {

    public static final int MAX_EMAIL = 254;
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_NAME = 100;
    private static final String TOO_LONG = "must be at most " + MAX_NAME + " characters";
    private static final String BROKEN = "must not contain broken characters (half of a UTF-16 pair, or U+FFFD, "
            + "which stands for bytes that were not UTF-8)";

    private SignupValidation() {
    }

    /** Validates raw field values (null when absent) and returns the normalised request, or throws with every problem. */
    public static SignupRequest validate(String rawEmail, String rawFirst, String rawLast) {
        return validate(rawEmail, rawFirst, rawLast, null);
    }

    /**
     * As above, for names split from one field ({@code "name"}): a problem with either part is that field's, since
     * the client sent no {@code first_name} or {@code last_name} to correct.
     */
    public static SignupRequest validate(String rawEmail, String rawFirst, String rawLast, String nameField) {
        Map<String, String> problems = new LinkedHashMap<>();
        String email = rawEmail == null ? "" : normalizedEmail(rawEmail);
        String emailProblem = emailProblem(email);
        if (emailProblem != null) {
            problems.put("email", emailProblem);
        }
        String first = rawFirst == null ? "" : rawFirst.strip();
        String last = rawLast == null ? "" : rawLast.strip();
        if (nameField == null) {
            nameProblem(first).ifPresent(p -> problems.put("first_name", p));
            nameProblem(last).ifPresent(p -> problems.put("last_name", p));
        } else {
            nameProblem(first).or(() -> nameProblem(last)).ifPresent(p -> problems.put(nameField,
                    p.equals(TOO_LONG) ? "must have at most " + MAX_NAME + " characters before its first space, and as many"
                            + " after it" : p));
        }
        if (!problems.isEmpty()) {
            throw new SignupRejected(400, "the sign-up has invalid fields", problems);
        }
        return new SignupRequest(email, first, last);
    }

    /** An address as the service stores it: one address, one spelling (a composed and a decomposed "é" alike). */
    public static String normalizedEmail(String raw) {
        return Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    public static String emailProblem(String email) {
        if (email.isEmpty()) {
            return "is required";
        }
        if (email.length() > MAX_EMAIL) {
            return "must be at most " + MAX_EMAIL + " characters";
        }
        int at = email.indexOf('@');
        if (at < 0 || at != email.lastIndexOf('@')) {
            return "must contain exactly one @";
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.isEmpty() || local.length() > MAX_LOCAL_PART) {
            return "must have 1 to " + MAX_LOCAL_PART + " characters before the @";
        }
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || "<>()[]\\,;:\"".indexOf(c) >= 0) {
                return "must not contain spaces, control characters or any of <>()[]\\,;:\"";
            }
        }
        if (email.codePoints().anyMatch(SignupValidation::isBroken)) {
            return BROKEN;
        }
        if (email.codePoints().anyMatch(SignupValidation::isInvisible)) {
            return "must not contain invisible characters (such as zero-width spaces or direction marks)";
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "must not have a dot at the start or end of the name, or two dots in a row";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "must have a domain with a dot, like example.org";
        }
        for (String label : labels) {
            // a domain's names hold letters (any script's), digits and hyphens: "example.org#1" or "example.org/x" is
            // no one's, and was taken
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                return "must have a valid domain, like example.org";
            }
        }
        if (labels[labels.length - 1].length() < 2) {
            return "must have a valid domain, like example.org";
        }
        return null;
    }

    static Optional<String> nameProblem(String name) {
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            return Optional.of(TOO_LONG);
        }
        if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            return Optional.of("must not contain control characters");
        }
        if (name.codePoints().anyMatch(SignupValidation::isBroken)) {
            return Optional.of(BROKEN);
        }
        if (name.codePoints().anyMatch(SignupValidation::isInvisible)) {
            return Optional.of("must not contain invisible characters (such as zero-width spaces or direction marks)");
        }
        return Optional.empty();
    }

    /**
     * Half of a UTF-16 pair (JSON's {@code "\ud800"} escape), which every UTF-8 encoder on the way out writes as
     * {@code ?}: the e-mail stored, synced and invited would not be the one checked, and two such addresses one
     * member. And the replacement character, which a form's escapes that are not UTF-8 decode to: a name already
     * garbled, which would go to the CRM and to Slack as it is.
     */
    static boolean isBroken(int c) {
        return Character.getType(c) == Character.SURROGATE || c == 0xFFFD;
    }

    /**
     * Characters a reader cannot see, with which a name or an address can pass for another or reorder the text
     * around it on an organiser's screen: Unicode's format characters (bidirectional overrides and isolates such as
     * U+202E, zero-width spaces and joiners, the byte-order mark, the soft hyphen), line and paragraph separators,
     * and the fillers that render as nothing (Hangul fillers, the Braille blank).
     */
    static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
    }
}
