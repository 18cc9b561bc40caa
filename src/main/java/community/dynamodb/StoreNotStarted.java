package community.dynamodb;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * The service cannot start on the store it is given: the embedded one not installed, without node or its data
 * folder held by another process; DynamoDB not reachable, or refusing the credentials (or finding none).
 */
public final class StoreNotStarted extends IllegalStateException {

    public StoreNotStarted(String message, Throwable cause) {
        super(message, cause);
    }

    /** What the SDK says went wrong, as a line to act on (for missing credentials it lists every provider tried). */
    public static String reason(SdkException e) {
        String message = String.valueOf(e.getMessage());
        int chain = message.indexOf(" AwsCredentialsProviderChain(");
        return chain < 0 ? message : message.substring(0, chain) + " (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                + "or AWS_PROFILE, or run where an instance or task role applies)";
    }
}
