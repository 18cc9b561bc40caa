package community.signup;

/** A validated sign-up: e-mail trimmed and lower-cased, names trimmed (possibly empty). */
public record SignupRequest(String email, String firstName, String lastName) {
}
