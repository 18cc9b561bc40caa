package community.steps;

/**
 * Thrown by a step's route when an upstream answered that it cannot take the request now (429, 5xx, Slack's
 * {@code ratelimited}): worth another attempt, after its {@code Retry-After} when it sent one. The route sets the
 * error code in the exchange property {@code answerError}; {@code {answer}} in the message stands for the answer.
 */
public class UpstreamBusy extends StepFailure {

    public UpstreamBusy(String message) {
        super(null, message, true, null);
    }
}
