package community.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /members}: every member as CSV, for an organiser's spreadsheet (with the embedded store, the only way
 * to the list). The answer is a stream that asks {@code direct:members-page} (a {@code Scan} through its
 * {@code aws2-ddb:} endpoint) for the next page of members as the download takes the last one, so that an export
 * holds one page at a time, whatever the community's size: made whole first, four exports of 93,000 members at once
 * ended the service with an OutOfMemoryError. The first page is read before the answer starts, so that a store that
 * does not answer is a {@code 503}. A cell that a spreadsheet would read as a formula (a name typed as
 * {@code =HYPERLINK(…)}) starts with {@code '}, which shows it as the text it is.
 */
public class MembersExport {

    /** As many members as DynamoDB answers in a page (at most 1 MB of them). */
    private static final int PAGE = 1000;
    private static final String COLUMNS = "email,first_name,last_name,signed_up_at";

    private final Clock clock;
    private final ProducerTemplate pages;

    public MembersExport(CamelContext context, Clock clock) {
        this.clock = clock;
        this.pages = context.createProducerTemplate();
    }

    public void answer(Exchange exchange) {
        MembersCsv csv = new MembersCsv();
        csv.nextPage();
        SignupPage.answer(exchange, "text/csv; charset=utf-8", "");
        exchange.getMessage().setBody(csv);
        exchange.getMessage().setHeader("Content-Disposition",
                "attachment; filename=\"members-" + LocalDate.now(clock) + ".csv\"");
        SignupPage.cacheControl(exchange, "no-store");
    }

    /** The CSV, a page of members at a time, read by the HTTP server as it sends it (on a worker thread). */
    private final class MembersCsv extends InputStream {
        // the byte order mark makes spreadsheets read the names as UTF-8, not as the machine's own code page
        private byte[] chunk = ("\uFEFF" + COLUMNS + "\r\n").getBytes(StandardCharsets.UTF_8);
        private int at;
        private Map<?, ?> startKey;
        private boolean last;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (at == chunk.length) {
                if (last) {
                    return -1;
                }
                try {
                    nextPage();
                } catch (RuntimeException e) {
                    // the answer has begun: the download ends short, and the browser says it failed
                    throw new IOException("the members table did not answer", e);
                }
            }
            int n = Math.min(length, chunk.length - at);
            System.arraycopy(chunk, at, into, offset, n);
            at += n;
            return n;
        }

        /** Appends the next page's members; the last is the one after which DynamoDB names no key to go on from. */
        void nextPage() {
            Exchange page = pages.send("direct:members-page", request -> {
                request.getIn().setHeader(Ddb2Constants.LIMIT, PAGE);
                if (startKey != null) {
                    request.getIn().setHeader(Ddb2Constants.START_KEY, startKey);
                }
            });
            if (page.getException() != null) {
                throw page.getException() instanceof RuntimeException e ? e
                        : new IllegalStateException(page.getException());
            }
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            rows.write(chunk, at, chunk.length - at);
            List<?> items = page.getMessage().getHeader(Ddb2Constants.ITEMS, List.class);
            for (Object item : items == null ? List.of() : items) {
                Map<?, ?> member = (Map<?, ?>) item;
                rows.writeBytes((cell(member, "email") + ',' + cell(member, "first_name") + ','
                        + cell(member, "last_name") + ',' + cell(member, "signed_up_at") + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            chunk = rows.toByteArray();
            at = 0;
            startKey = page.getMessage().getHeader(Ddb2Constants.LAST_EVALUATED_KEY, Map.class);
            last = startKey == null || startKey.isEmpty();
        }
    }

    private static String cell(Map<?, ?> member, String attribute) {
        String text = member.get(attribute) instanceof AttributeValue value && value.s() != null ? value.s() : "";
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
