package community.web;

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
        // the byte order mark makes spreadsheets read the names as UTF-8, not as the machine's own code page
        exchange.setProperty("csv", new StringBuilder("\uFEFF").append(COLUMNS).append("\r\n"));
        exchange.getIn().setHeader(Ddb2Constants.LIMIT, PAGE);
    }

    /** Writes a page's members out; the next page starts where DynamoDB says this one ended, if it did not end all. */
    public void page(Exchange exchange) {
        StringBuilder csv = exchange.getProperty("csv", StringBuilder.class);
        List<?> items = exchange.getIn().getHeader(Ddb2Constants.ITEMS, List.class);
        for (Object item : items == null ? List.of() : items) {
            Map<?, ?> member = (Map<?, ?>) item;
            csv.append(cell(member, "email")).append(',').append(cell(member, "first_name")).append(',')
                    .append(cell(member, "last_name")).append(',').append(cell(member, "signed_up_at")).append("\r\n");
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
        SignupPage.answer(exchange, "text/csv; charset=utf-8", exchange.getProperty("csv", StringBuilder.class)
                .toString());
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
