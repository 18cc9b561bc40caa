package community.execution;

public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED
}
