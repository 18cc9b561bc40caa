package community.signup;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A validated sign-up: e-mail trimmed and lower-cased, names trimmed (possibly empty); its JSON is DESIGN.md's. */
public record SignupRequest(String email, @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName) {
}
