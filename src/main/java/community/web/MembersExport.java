package community.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /members}: every member as CSV, for an organiser's spreadsheet (with the embedded store, the only way
 * to the list). The route scans the members table a page at a time through its {@code aws2-ddb:} endpoint; each
 * page is written out here and dropped, so that only the text is held. A cell that a spreadsheet would read as a
 * formula (a name typed as {@code =HYPERLINK(…)}) starts with {@code '}, which shows it as the text it is.
 */
public class MembersExport {

    /** As many members as DynamoDB answers in a page (at most 1 MB of them). */
    private static final int PAGE = 1000;
    private static final String COLUMNS = "email,first_name,last_name,signed_up_at";

    private final Clock clock;

    public MembersExport(Clock clock) {
        this.clock = clock;
    }

    /** The CSV's first line, and the first page's size. */
    public void start(Exchange exchange) {
        // UTF-8 bytes as each page is written (a String holding the byte order mark would take two bytes a character)
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        // the byte order mark makes spreadsheets read the names as UTF-8, not as the machine's own code page
        csv.writeBytes(("\uFEFF" + COLUMNS + "\r\n").getBytes(StandardCharsets.UTF_8));
        exchange.setProperty("csv", csv);
        exchange.getIn().setHeader(Ddb2Constants.LIMIT, PAGE);
    }

    /** Writes a page's members out; the next page starts where DynamoDB says this one ended, if it did not end all. */
    public void page(Exchange exchange) {
        ByteArrayOutputStream csv = exchange.getProperty("csv", ByteArrayOutputStream.class);
        List<?> items = exchange.getIn().getHeader(Ddb2Constants.ITEMS, List.class);
        for (Object item : items == null ? List.of() : items) {
            Map<?, ?> member = (Map<?, ?>) item;
            csv.writeBytes((cell(member, "email") + ',' + cell(member, "first_name") + ',' + cell(member, "last_name")
                    + ',' + cell(member, "signed_up_at") + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        exchange.getIn().removeHeader(Ddb2Constants.ITEMS);
        Map<?, ?> next = exchange.getIn().getHeader(Ddb2Constants.LAST_EVALUATED_KEY, Map.class);
        if (next == null || next.isEmpty()) {
            exchange.setProperty("exported", true);
        } else {
            exchange.getIn().setHeader(Ddb2Constants.START_KEY, next);
        }
    }

    public void answer(Exchange exchange) {
        SignupPage.answer(exchange, "text/csv; charset=utf-8", "");
        exchange.getMessage().setBody(exchange.getProperty("csv", ByteArrayOutputStream.class).toByteArray());
        // the body is the copy that goes out: the buffer it was written in need not wait for the answer to be sent
        exchange.removeProperty("csv");
        exchange.getMessage().setHeader("Content-Disposition",
                "attachment; filename=\"members-" + LocalDate.now(clock) + ".csv\"");
        SignupPage.cacheControl(exchange, "no-store");
    }

    private static String cell(Map<?, ?> member, String attribute) {
        String text = member.get(attribute) instanceof AttributeValue value && value.s() != null ? value.s() : "";
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
