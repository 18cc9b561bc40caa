package community.steps;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import community.dynamodb.DynamoDbConnection;


/**
 * Sorts whatever ended an attempt into DESIGN.md's classes: retried (throttling, 5xx, timeouts, connection
 * errors) or failed at once (everything an upstream says is wrong with the request or our credentials).
 */
public final class Failures {

    /** The longest cause an upstream's answer can make (it quotes the answer, which is untrusted). */
    private static final int MAX_MESSAGE = 500;

    private Failures() {
    }

    /** The exchange's {@code upstream} (set by the step template) names who did not answer. */
    public static StepFailure classify(Throwable thrown, long timeoutMillis, Exchange exchange) {
        String upstream = exchange.getProperty("upstream", "the upstream", String.class);
        // a timeout first, wherever it is in the chain: the SDK wraps a connection's read timeout as a client error
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof StepFailure failure) {
                return failure.error() == null ? answered(failure, exchange) : failure;
            }
            if (t instanceof TimeoutException || t instanceof InterruptedIOException
                    || t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
                return StepFailure.retry("Timeout",
                        upstream + " did not answer within " + timeoutMillis + " ms");
            }
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException aws) {
                return dynamoDb(aws);
            }
            if (t instanceof UpstreamAnswerLimit.AnswerRefused refused) {
                return StepFailure.fail("UnexpectedAnswer", upstream + " " + refused.getMessage());
            }
            if (t instanceof IOException || t instanceof SdkClientException) {
                return StepFailure.retry("ConnectionFailed",
                        "could not reach " + upstream + ": " + describe(t));
            }
        }
        // a mail server that took the connection but not the message (a full mailbox, a greylisting 4xx)
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof MessagingException) {
                return StepFailure.retry("MailFailed", upstream + " did not take the message: " + describe(t));
            }
        }
        return StepFailure.fail("InternalError", "the step broke: " + describe(thrown));
    }

    /**
     * A failure a step's route threw on an upstream's answer (UpstreamBusy, UpstreamRefused): its code is the
     * route's {@code answerError}, kept only when it is a short code; {@code {answer}} in its message becomes the
     * answer, quoted; a retryable one waits for the answer's {@code Retry-After}.
     */
    private static StepFailure answered(StepFailure failure, Exchange exchange) {
        UpstreamAnswer answer = UpstreamAnswer.of(exchange);
        String error = StepFailure.codeFromAnswer(exchange.getProperty("answerError", String.class));
        String message = failure.getMessage().replace("{answer}", answer.quoted());
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new StepFailure(error, message, failure.retryable(),
                failure.retryable() ? answer.retryAfterMillis() : null);
    }

    private static StepFailure dynamoDb(AwsServiceException e) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
        String message = "DynamoDB answered " + code + ": "
                + DynamoDbConnection.withoutIdentities(e.awsErrorDetails().errorMessage());
        if (e.isThrottlingException()) {
            return StepFailure.retry("Throttled", message);
        }
        if (e.statusCode() >= 500) {
            return StepFailure.retry("ServerError", message);
        }
        if (e instanceof ResourceNotFoundException || code.equals("ResourceNotFoundException")) {
            return StepFailure.fail("TableNotFound", message);
        }
        if (code.contains("AccessDenied") || code.contains("UnrecognizedClient") || code.contains("Signature")) {
            return StepFailure.fail("AccessDenied", message);
        }
        return StepFailure.fail("ValidationError", message);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
