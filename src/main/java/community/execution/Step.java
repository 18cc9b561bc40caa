package community.execution;

/**
 * A step of the flow, as the routes declare it: its name (the fan-out's {@code direct:} endpoint, and its key
 * under {@code results}), what a visitor reads while it runs, what they read when it went through (empty
 * when the step has nothing to tell them), and whether it is configured (its template's {@code configured}): one
 * that is not is SKIPPED on every sign-up, and the visitor's pages leave it out (a "mailing list: skipped" where
 * the community keeps none), where the execution document and the dashboard keep it.
 */
public record Step(String name, String label, String doneWords, boolean configured) {

    /** A step known only by its name: one no longer in the fan-out, or whose route is not there. */
    static Step named(String name) {
        return new Step(name, name, "", true);
    }
}
