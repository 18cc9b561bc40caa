package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * In link mode with SIGNUP_MAIL_URL set, the person gets the invite link by e-mail too (camel-mail), against a
 * real SMTP server in this JVM (GreenMail): what arrived, to whom, from whom, with which link, in plain text and
 * HTML; and a mail server that cannot be reached is tried again like any upstream.
 */
class InviteMailTest {

    static final String LINK = "https://join.slack.com/t/northpole/shared_invite/zt-mail-Abc_123";
    static final String MAIL_PASSWORD = "mail-password-5b7c9d";
    static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        smtp.start();
        smtp.setUser("signup@northpole.example", "signup-mailer", MAIL_PASSWORD);
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        service = RunningService.start(settings());
    }

    static Map<String, String> settings() {
        Map<String, String> settings = Upstreams.settings(upstreams, "", "ac-mail-test-key");
        settings.remove("slack.admin-token");
        settings.put("slack.invite-url", LINK);
        settings.put("signup.title", "North Pole <Makers> & Friends");
        settings.put("signup.mail-url", "smtp://127.0.0.1:" + smtp.getSmtp().getPort());
        settings.put("signup.mail-username", "signup-mailer");
        settings.put("signup.mail-password", MAIL_PASSWORD);
        settings.put("signup.mail-from", "signup@northpole.example");
        return settings;
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
        smtp.stop();
    }

    @BeforeEach
    void emptyMailbox() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    /** A service of its own, whose mail goes to {@code mailUrl}, signs someone up: their execution. */
    static JsonNode signUpWithMailAt(String mailUrl, Map<String, String> more, String email) {
        Map<String, String> settings = settings();
        settings.put("signup.mail-url", mailUrl);
        settings.putAll(more);
        try (RunningService own = RunningService.start(settings)) {
            return own.postJson("/signup?wait=true", "{\"email\":\"" + email + "\",\"name\":\"Mail Test\"}").json();
        }
    }

    JsonNode signUp(String email, String name) {
        RunningService.Answer answer = service.postJson("/signup?wait=true",
                "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void the_person_gets_the_link_by_mail_in_plain_text_and_html_and_nothing_else_of_anyones() throws Exception {
        JsonNode invite = signUp("holly@example.org", "Holly <b>Ivy</b>").path("results").path("InviteSlack");
        assertThat(invite.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(invite.path("detail").asText()).isEqualTo("link e-mailed");
        assertThat(invite.path("inviteUrl").asText()).isEqualTo(LINK);

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getRecipients(Message.RecipientType.TO)).containsExactly(new InternetAddress("holly@example.org"));
        assertThat(mail.getRecipients(Message.RecipientType.CC)).isNull();
        assertThat(mail.getFrom()).containsExactly(new InternetAddress("signup@northpole.example"));
        assertThat(mail.getSubject()).isEqualTo("Your invite to North Pole <Makers> & Friends");
        assertThat(mail.getContent()).isInstanceOf(Multipart.class);
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        String text = GreenMailUtil.getBody(parts.getBodyPart(0));
        String html = GreenMailUtil.getBody(parts.getBodyPart(1));
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(text).startsWith("Hello,").contains("North Pole <Makers> & Friends").contains(LINK);
        assertThat(html).contains("<p>Hello,</p>").contains("North Pole &lt;Makers&gt; &amp; Friends")
                .contains("<a href=\"" + LINK + "\">");
        assertThat(GreenMailUtil.getWholeMessage(mail)).doesNotContain(MAIL_PASSWORD).doesNotContain("Holly")
                .doesNotContain("Ivy");
    }

    @Test
    void a_repeat_sign_up_is_told_to_look_for_the_mail_and_sends_no_other() throws Exception {
        signUp("mistletoe@example.org", "Mistle Toe");
        RunningService.Answer formPost = service.postForm("/signup", "email=mistletoe%40example.org&name=Mistle+Toe", "text/html");
        String page = service.send(HttpRequest.newBuilder(service.uri(formPost.header("Location")))
                .header("Accept", "text/html").GET()).body();
        assertThat(page).contains("This address has already signed up: look for the e-mail with the invite link in its "
                + "inbox.").doesNotContain(LINK);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void what_a_visitor_types_as_a_name_is_not_carried_to_the_address_they_typed() throws Exception {
        // the form lets anyone choose the recipient: a name in the mail would be their text, sent by the community
        signUp("someone.else@example.org", "Cheap watches at watches.example today");

        assertThat(smtp.getReceivedMessages()).hasSize(1);
        String whole = GreenMailUtil.getWholeMessage(smtp.getReceivedMessages()[0]);
        assertThat(whole).contains(LINK).doesNotContain("watches").doesNotContain("Cheap");
    }

    @Test
    void with_approval_the_link_goes_by_mail_once_an_organiser_approves_and_not_before() throws Exception {
        String token = "mail-approval-operator-token-0123456789";
        Map<String, String> settings = settings();
        settings.put("signup.approval", "true");
        settings.put("signup.admin-token", token);
        try (RunningService approving = RunningService.start(settings)) {
            JsonNode waiting = approving.postJson("/signup?wait=true",
                    "{\"email\":\"tinsel@example.org\",\"name\":\"Tinsel Star\"}").json();
            String id = waiting.path("executionId").asText();
            assertThat(waiting.path("results").path("InviteSlack").path("status").asText()).isEqualTo("WAITING");
            assertThat(waiting.path("results").path("InviteSlack").has("inviteUrl")).as("no link before").isFalse();
            assertThat(smtp.getReceivedMessages()).isEmpty();

            assertThat(approving.send(HttpRequest.newBuilder(approving.uri("/executions/" + id + "/approve"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(202);
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getRecipients(Message.RecipientType.TO))
                    .containsExactly(new InternetAddress("tinsel@example.org"));
            assertThat(GreenMailUtil.getWholeMessage(mail)).contains(LINK.substring(0, 40));
            await().atMost(Duration.ofSeconds(10)).until(() -> approving
                    .get("/signup/" + id).json().path("results").path("InviteSlack").path("detail").asText()
                    .equals("link e-mailed"));
        }
    }

    @Test
    void a_mail_server_that_takes_the_connection_and_never_answers_times_out_and_is_tried_again() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // the test is over
                        }
                    });
                }
            });
            acceptor.start();
            JsonNode invite = signUpWithMailAt("smtp://127.0.0.1:" + silent.getLocalPort(), Map.of("slack.timeout", "500"),
                    "holly-berry@example.org").path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("error").asText()).isEqualTo("Timeout");
            assertThat(invite.path("attempts").asInt()).isEqualTo(4);
            assertThat(invite.path("cause").asText())
                    .isEqualTo("InviteSlack: the mail server did not answer within 500 ms (attempt 4 of 4)");
        }
    }

    @Test
    void a_mail_server_that_cannot_be_reached_is_tried_again_and_then_fails_the_step_saying_so() {
        // a port nothing listens on
        JsonNode execution = signUpWithMailAt("smtp://127.0.0.1:" + AvailablePortFinder.getNextAvailable(), Map.of(),
                "mistletoe@example.org");
        JsonNode invite = execution.path("results").path("InviteSlack");
        assertThat(invite.path("status").asText()).isEqualTo("FAILED");
        assertThat(invite.path("error").asText()).isEqualTo("ConnectionFailed");
        assertThat(invite.path("attempts").asInt()).isEqualTo(4);
        assertThat(invite.path("cause").asText()).startsWith("InviteSlack: could not reach the mail server: ")
                .endsWith("(attempt 4 of 4)").doesNotContain(MAIL_PASSWORD);
        assertThat(execution.path("results").path("RecordDB").path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void the_password_goes_to_a_mail_server_elsewhere_only_over_tls() throws Exception {
        // a server on another machine that offers no STARTTLS, as one looks when someone on the way strips the offer
        String elsewhere = NetworkInterface.networkInterfaces().filter(UncheckedNetwork::isUp)
                .filter(i -> !UncheckedNetwork.isLoopback(i)).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no network address but its loopback"));
        GreenMail plain = new GreenMail(new ServerSetup(0, "0.0.0.0", ServerSetup.PROTOCOL_SMTP));
        plain.start();
        try {
            JsonNode invite = signUpWithMailAt("smtp://" + elsewhere + ":" + plain.getSmtp().getPort(),
                    Map.of("slack.retries", "0"), "poinsettia@example.org").path("results").path("InviteSlack");
            assertThat(invite.path("status").asText()).isEqualTo("FAILED");
            assertThat(invite.path("cause").asText()).contains("STARTTLS");
            assertThat(plain.getReceivedMessages()).isEmpty();
        } finally {
            plain.stop();
        }
    }

    /** NetworkInterface's questions, which throw a checked exception a stream cannot. */
    static final class UncheckedNetwork {
        static boolean isUp(NetworkInterface i) {
            try {
                return i.isUp();
            } catch (SocketException e) {
                return false;
            }
        }

        static boolean isLoopback(NetworkInterface i) {
            try {
                return i.isLoopback();
            } catch (SocketException e) {
                return true;
            }
        }
    }
}
