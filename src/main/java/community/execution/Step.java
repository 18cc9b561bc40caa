package community.execution;

/**
 * A step of the flow, as the routes declare it: its name (the fan-out's {@code direct:} endpoint, and its key
 * under {@code results}), what a visitor reads while it runs, and what they read when it went through (empty
 * when the step has nothing to tell them).
 */
public record Step(String name, String label, String doneWords) {
}
