package community.execution;

import java.time.Duration;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own Prometheus metrics, beside Camel's: sign-ups accepted and rejected (by reason), executions
 * by outcome, per-step attempts and failures (by error code), step and end-to-end latency, and DynamoDB requests.
 */
public class SignupMetrics {

    /**
     * The codes a metric label may carry: the service's own, and the ones Slack documents for its invite methods.
     * Anything else an upstream says is counted as {@code other}, so that no answer can grow the label set.
     */
    static final Set<String> KNOWN_ERRORS = Set.of("Timeout", "ConnectionFailed", "InternalError",
            "Throttled", "ServerError", "TableNotFound", "AccessDenied", "ValidationError", "RateLimited",
            "UnexpectedAnswer", "Unauthorized", "Invalid", "Rejected", "NotConfigured", "NotInFlow", "MailFailed",
            "invalid_auth", "not_authed", "invalid_email", "missing_scope", "not_allowed_token_type",
            "token_revoked", "token_expired", "account_inactive", "user_disabled", "no_permission", "not_allowed",
            "restricted_action", "sent_recently", "paid_teams_only", "channel_not_found", "invalid_channel",
            "user_is_restricted", "team_added_to_org", "org_login_required", "ekm_access_denied",
            "invalid_arguments", "invalid_arg_name", "invalid_form_data", "invalid_charset", "request_timeout",
            "fatal_error", "internal_error", "service_unavailable", "unknown_error", "team_not_found",
            "failed_for_some_users", "two_factor_setup_required");

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Timer executionDuration;

    public SignupMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("signup_signups_accepted").description("Sign-ups stored and started")
                .register(registry);
        this.executionDuration = Timer.builder("signup_execution_duration")
                .description("From a sign-up's acceptance to its outcome").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void accepted() {
        accepted.increment();
    }

    /** A request refused before anything was stored: {@code reason} is the HTTP status's meaning. */
    public void rejected(int status) {
        String reason = switch (status) {
            case 400 -> "invalid";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method";
            case 413 -> "too_large";
            case 415 -> "media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            case 299 -> "honeypot";
            default -> String.valueOf(status);
        };
        rejected(reason);
    }

    /** A request refused because the service holds as many as it may ({@code signup.http.max-requests}). */
    public void overloaded() {
        rejected("overloaded");
    }

    private void rejected(String reason) {
        Counter.builder("signup_requests_rejected").description("Requests refused, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void attempt(String step) {
        Counter.builder("signup_step_attempts").description("Attempts of each step").tag("step", step)
                .register(registry).increment();
    }

    public void dynamoDbRequest(String operation) {
        Counter.builder("signup_dynamodb_requests").description("Requests sent to DynamoDB, by operation")
                .tag("operation", operation).register(registry).increment();
    }

    public void stepFinished(String step, StepResult result) {
        if (result.error() != null && result.status().name().equals("FAILED")) {
            Counter.builder("signup_step_failures").description("Steps that failed, by error code")
                    .tag("step", step).tag("error", errorLabel(result.error())).register(registry).increment();
        }
        if (result.startedAt() != null && result.stoppedAt() != null) {
            Timer.builder("signup_step_duration").description("Each step from its first attempt to its outcome")
                    .tag("step", step).tag("status", result.status().name()).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                    .register(registry).record(Duration.between(result.startedAt(), result.stoppedAt()));
        }
    }

    /** A step's error code as a metric label: one of {@link #KNOWN_ERRORS}, else {@code other}. */
    static String errorLabel(String code) {
        return code != null && KNOWN_ERRORS.contains(code) ? code : "other";
    }

    public void executionFinished(Execution execution) {
        Counter.builder("signup_executions").description("Executions finished, by outcome")
                .tag("outcome", execution.status().name()).register(registry).increment();
        if (execution.stoppedAt() != null) {
            executionDuration.record(Duration.between(execution.startedAt(), execution.stoppedAt()));
        }
    }

    public void rateLimitWait(String upstream) {
        Counter.builder("signup_rate_limit_waits").description("Outbound requests that waited for a rate limit")
                .tag("upstream", upstream).register(registry).increment();
    }

    public void admissionWait() {
        Counter.builder("signup_admission_waits").description(
                "Sign-ups that waited for a place because signup.max-waiting executions were waiting already")
                .register(registry).increment();
    }

    public void resumed() {
        Counter.builder("signup_executions_resumed").description("Executions taken over from a dead instance")
                .register(registry).increment();
    }
}
