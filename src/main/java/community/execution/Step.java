package community.execution;

/** The three steps of a sign-up, named as in the original state machine. */
public enum Step {
    RecordDB, RecordAC, InviteSlack
}
