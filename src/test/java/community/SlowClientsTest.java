package community;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.Upstreams;

/**
 * Slow or silent clients cannot hold the server's connections: idle connections are closed, a request's headers and
 * body each get {@code signup.header-timeout}, while the service's own slow answers ({@code ?wait=true}) are not cut.
 * Talks raw HTTP/1.1 over sockets, as such a client would.
 */
class SlowClientsTest {

    static final long IDLE_MS = 1500;
    static final long HEADER_MS = 1000;
    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        upstreams.start();
        Upstreams.answerNormally(upstreams);
        // Slack takes longer to answer than a client may take to send a request: the wait must not be cut
        Upstreams.slackAnswersAfter(upstreams, (int) (IDLE_MS + 1000));
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-slow", "ac-slow");
        settings.put("signup.idle-timeout", IDLE_MS + "ms");
        settings.put("signup.header-timeout", HEADER_MS + "ms");
        // Slack's slow answer is within its step's timeout: the execution succeeds, after the client waited for it
        settings.put("slack.timeout", "5000");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() throws IOException {
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("the server closes the connection").isEqualTo(-1);
            assertThat(millisSince(started)).isBetween(IDLE_MS - 200, IDLE_MS + 3000);
        }
    }

    @Test
    void headers_trickled_a_byte_at_a_time_do_not_keep_the_connection() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /observe/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            // a byte every 200 ms: never idle, but the headers would take a minute to finish
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            String answer = readAll(socket.getInputStream());
            assertThat(answer).as("no answer, the connection is just closed").isEmpty();
            assertThat(millisSince(started)).isBetween(HEADER_MS - 200, HEADER_MS + 3000);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void a_body_that_does_not_arrive_in_time_gets_408_and_nothing_is_stored() throws IOException {
        int before = service.executionItemCount();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"email\":\"slow-body@example.org\",")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            long started = System.nanoTime();
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer).contains("\"error\":\"the request body did not arrive within " + HEADER_MS + " ms\"");
            assertThat(millisSince(started)).isBetween(HEADER_MS - 200, HEADER_MS + 3000);
        }
        assertThat(service.executionItemCount()).isEqualTo(before);
        assertThat(service.member("slow-body@example.org")).isEmpty();
    }

    @Test
    void a_kept_alive_connection_serves_requests_and_a_slow_answer_is_not_cut() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /observe/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200");

            // Slack answers after longer than the idle and header timeouts: the client just waits for us
            String body = "{\"email\":\"patient@example.org\",\"first_name\":\"Pat\",\"last_name\":\"Ient\"}";
            out.write(("POST /signup?wait=true HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = readAnswer(in);
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(answer).contains("\"status\":\"SUCCEEDED\",\"startedAt\"").doesNotContain("FAILED");

            // and afterwards, idle again, the connection is closed
            long started = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(millisSince(started)).isBetween(IDLE_MS - 200, IDLE_MS + 3000);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", service.uri("/").getPort());
        // only a bound for a broken server: every read below ends when the server answers or closes
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** Everything until the server closes the connection. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** One answer (a Content-Length or a chunked body), leaving the connection open. */
    private static String readAnswer(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder body = new StringBuilder();
            for (;;) {
                int size = Integer.parseInt(readUntil(in, "\r\n").trim(), 16);
                body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                readUntil(in, "\r\n");
                if (size == 0) {
                    return head + body;
                }
            }
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (!read.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed in the middle of an answer: " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
