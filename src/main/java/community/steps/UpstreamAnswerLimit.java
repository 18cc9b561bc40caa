package community.steps;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * What an upstream answers is untrusted, and camel-http reads an answer whole into memory, allowing its
 * {@code responseTimeout} between any two packets: one answer of a few hundred MB (a wrong URL, a broken or hostile
 * server) ran the service out of heap and ended it, and one sent a byte at a time held its step for hours. Through
 * the HTTP client's public interceptor chain (camel-http has no such options), every answer of the {@code http:}
 * endpoints is read only up to {@link #MAX_BYTES}, unencoded (the client asks for no compression: the cap counts
 * what is kept), and must have come whole within the endpoint's {@code responseTimeout}, the step's per-attempt
 * timeout. Past the size, or encoded unasked, the connection ends unread and the attempt fails at once as
 * {@code UnexpectedAnswer}; past the time, it ends and the attempt timed out.
 */
public class UpstreamAnswerLimit implements HttpClientConfigurer {

    /** Far above any answer of Slack, ActiveCampaign, a webhook or a CAPTCHA check (a few KB). */
    static final int MAX_BYTES = 64 * 1024;

    private final ScheduledExecutorService deadlines;

    public UpstreamAnswerLimit(ScheduledExecutorService deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("answer-limit", (request, scope, chain) -> {
            Deadline deadline = new Deadline(scope);
            ClassicHttpResponse response;
            try {
                response = chain.proceed(request, scope);
            } catch (IOException e) {
                throw deadline.failed(e);
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                deadline.met();
                return response;
            }
            String encoding = entity.getContentEncoding();
            if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
                throw deadline.refused("answered in an encoding that was not asked for ("
                        + (encoding.length() > 20 ? "?" : encoding) + ")");
            }
            if (entity.getContentLength() > MAX_BYTES) {
                throw deadline.refused("answered " + entity.getContentLength() + " bytes, over the "
                        + MAX_BYTES / 1024 + " KiB an answer may have");
            }
            response.setEntity(new Capped(entity, deadline));
            return response;
        });
    }

    /** An answer that is not one: the attempt fails at once. */
    public static final class AnswerRefused extends IOException {
        AnswerRefused(String what) {
            super(what);
        }
    }

    /** One call's time: when it runs out, the connection is ended, whatever the call is waiting for. */
    private final class Deadline implements Runnable {
        private final ExecRuntime connection;
        private final long millis;
        private final ScheduledFuture<?> timer;
        private volatile boolean passed;

        Deadline(ExecChain.Scope scope) {
            this.connection = scope.execRuntime;
            Timeout timeout = scope.clientContext.getRequestConfigOrDefault().getResponseTimeout();
            this.millis = timeout == null || timeout.isDisabled() ? 0 : timeout.toMilliseconds();
            this.timer = millis == 0 ? null : deadlines.schedule(this, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            passed = true;
            connection.discardEndpoint();
        }

        void met() {
            if (timer != null) {
                timer.cancel(false);
            }
        }

        /** What a failed read or call becomes: a timeout when the deadline ended the connection under it. */
        IOException failed(IOException e) {
            met();
            return passed ? new SocketTimeoutException("no whole answer within " + millis + " ms") : e;
        }

        /** Ends the connection without reading the rest (closing the answer would read it all first). */
        AnswerRefused refused(String what) {
            met();
            connection.discardEndpoint();
            return new AnswerRefused(what);
        }
    }

    private static final class Capped extends HttpEntityWrapper {
        private final Deadline deadline;

        Capped(HttpEntity entity, Deadline deadline) {
            super(entity);
            this.deadline = deadline;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n;
                    try {
                        n = super.read(buffer, offset, length);
                    } catch (IOException e) {
                        throw deadline.failed(e);
                    }
                    if (n < 0) {
                        deadline.met();
                    } else if ((read += n) > MAX_BYTES) {
                        throw deadline.refused("answered more than the " + MAX_BYTES / 1024
                                + " KiB an answer may have");
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    deadline.met();
                    super.close();
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream content = getContent()) {
                content.transferTo(out);
            }
        }
    }
}
