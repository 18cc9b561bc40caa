package community.steps;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** An application/x-www-form-urlencoded request body. */
final class FormBody {

    private final StringJoiner fields = new StringJoiner("&");

    FormBody add(String name, String value) {
        if (value != null) {
            fields.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
