package community.execution;

/**
 * A step of the flow, as the routes declare it: its name (the fan-out's {@code direct:} endpoint, and its key
 * under {@code results}), what a visitor reads while it runs, what they read when it went through (empty
 * when the step has nothing to tell them), and whether the visitor's pages show it. They leave out a step that is
 * not configured (its template's {@code configured}: SKIPPED on every sign-up, a "mailing list: skipped" where the
 * community keeps none) and one that is not the visitor's concern (its template's {@code for-visitors}: the
 * organisers' notice, whose failure had told a visitor whose invite went out that something went wrong). The
 * execution document and the dashboard keep every step. A step that {@code trails} is configured here but not the
 * visitor's concern (the organisers' notice with a webhook set): it may still run once the visitor's steps have ended.
 */
public record Step(String name, String label, String doneWords, boolean shown, boolean trails) {

    /** A step known only by its name: one no longer in the fan-out, or whose route is not there. */
    static Step named(String name) {
        return new Step(name, name, "", true, false);
    }
}
