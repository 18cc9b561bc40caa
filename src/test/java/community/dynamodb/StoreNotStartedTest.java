package community.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Why the store cannot be used, in a line an operator can act on. */
class StoreNotStartedTest {

    @Test
    void no_credentials_says_where_they_come_from_instead_of_every_provider_tried() {
        // the SDK's own words when its default chain finds nothing
        SdkClientException none = SdkClientException.create("Unable to load credentials from any of the providers "
                + "in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), "
                + "EnvironmentVariableCredentialsProvider()]) : [SystemPropertyCredentialsProvider(): Unable to load "
                + "credentials from system settings.]");

        assertThat(StoreNotStarted.reason(none)).isEqualTo("Unable to load credentials from any of the providers in "
                + "the chain (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an "
                + "instance or task role applies)");
    }

    @Test
    void any_other_failure_is_said_as_the_sdk_says_it() {
        SdkClientException refused = SdkClientException.create("Unable to execute HTTP request: Connect to "
                + "127.0.0.1:1 [/127.0.0.1] failed: Connection refused (SDK Attempt Count: 9)");

        assertThat(StoreNotStarted.reason(refused)).isEqualTo(refused.getMessage());
    }
}
