package community.execution;

public enum StepStatus {
    PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
}
