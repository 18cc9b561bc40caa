package community.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.MulticastDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * The steps of a sign-up, read from the routes: the fan-out's list in {@code run-execution} (each
 * {@code direct:<Step>} it sends to, in its order) is the only list of steps. What a visitor reads for a step
 * comes from the step's route: the {@code label} and {@code done-words} of its {@code templatedRoute}, or the
 * description of a plain route. Read again whenever routes are added or removed (an operator's edit).
 */
public class Steps extends SimpleEventNotifierSupport {

    private static final String FAN_OUT = "run-execution";
    private static final Pattern STEP_URI = Pattern.compile("direct:(?://)?([A-Za-z][A-Za-z0-9_-]{0,63})(?:\\?.*)?");

    private final CamelContext camelContext;
    private volatile List<Step> steps;

    public Steps(CamelContext camelContext) {
        this.camelContext = camelContext;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreServiceEvents(true);
    }

    /** The steps, in the fan-out's order. */
    public List<Step> list() {
        List<Step> known = steps;
        return known != null ? known : read();
    }

    public List<String> names() {
        return list().stream().map(Step::name).toList();
    }

    /** The step of this name; one no longer in the fan-out (an older execution's) is shown by its name. */
    public Step step(String name) {
        for (Step step : list()) {
            if (step.name().equals(name)) {
                return step;
            }
        }
        return Step.named(name);
    }

    /** The step a fan-out endpoint names ({@code direct:RecordAC?block=false} is RecordAC), else the endpoint. */
    public static String nameOf(String endpointUri) {
        Matcher uri = STEP_URI.matcher(endpointUri);
        return uri.matches() ? uri.group(1) : endpointUri;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteAddedEvent || event instanceof CamelEvent.RouteRemovedEvent
                || event instanceof CamelEvent.RouteReloadedEvent;
    }

    /** Read on the thread that adds or removes the routes, so that a sign-up never waits for an edit. */
    @Override
    public void notify(CamelEvent event) {
        read();
    }

    /**
     * Camel's model changes its route definitions under its own lock, and hands out the list itself: it is read
     * under that lock (a sign-up reading it while an edit replaced routes met a ConcurrentModificationException).
     */
    private List<Step> read() {
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        synchronized (model) {
            List<Step> read = read(model);
            steps = read;
            return read;
        }
    }

    private List<Step> read(Model model) {
        RouteDefinition fanOut = model.getRouteDefinition(FAN_OUT);
        Optional<MulticastDefinition> multicast = fanOut == null ? Optional.empty() : multicast(fanOut.getOutputs());
        List<Step> read = new ArrayList<>();
        multicast.ifPresent(m -> m.getOutputs().forEach(branch -> {
            if (branch instanceof SendDefinition<?> send) {
                Matcher uri = STEP_URI.matcher(send.getEndpointUri());
                if (uri.matches()) {
                    read.add(describe(model, uri.group(1)));
                }
            }
        }));
        // While an edit replaces the fan-out, it is briefly missing: the steps are those it had.
        List<Step> before = steps;
        return read.isEmpty() && before != null ? before : List.copyOf(read);
    }

    private static Optional<MulticastDefinition> multicast(List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof MulticastDefinition multicast) {
                return Optional.of(multicast);
            }
            Optional<MulticastDefinition> nested = multicast(output.getOutputs());
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    /** The step's words, from the route that consumes {@code direct:<name>}. */
    private Step describe(Model model, String name) {
        for (RouteDefinition route : model.getRouteDefinitions()) {
            Map<String, Object> parameters = route.getTemplateParameters();
            if (parameters != null && name.equals(parameters.get("step"))) {
                boolean configured = !words(parameters.get("configured"), "true").equals("false");
                boolean forVisitors = !words(parameters.get("for-visitors"), "true").equals("false");
                return new Step(name, words(parameters.get("label"), name), words(parameters.get("done-words"), ""),
                        configured && forVisitors, configured && !forVisitors);
            }
            String from = route.getInput() == null ? null : route.getInput().getEndpointUri();
            Matcher uri = STEP_URI.matcher(from == null ? "" : from);
            if (uri.matches() && uri.group(1).equals(name)) {
                return new Step(name, words(route.getDescription(), name), "", true, false);
            }
        }
        return Step.named(name);
    }

    private String words(Object value, String otherwise) {
        String text = value == null ? "" : camelContext.resolvePropertyPlaceholders(value.toString()).strip();
        return text.isEmpty() ? otherwise : text;
    }
}
