package community.steps;

/**
 * Thrown by a step's route when an upstream refused the request (a bad key, an invalid contact, an error code):
 * another attempt would get the same answer. The route sets the error code in the exchange property
 * {@code answerError}; {@code {answer}} in the message stands for the answer.
 */
public class UpstreamRefused extends StepFailure {

    public UpstreamRefused(String message) {
        super(null, message, false, null);
    }
}
