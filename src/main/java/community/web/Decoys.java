package community.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import community.execution.Execution;
import community.execution.Steps;
import community.signup.SignupRequest;

/**
 * What a filled-in honeypot is answered with (DESIGN.md, Abuse: "answered like a success, nothing sent"): an
 * execution that looks just accepted, stored nowhere and run by nothing, whose status page and document a bot can
 * follow as it would a real one's. Only the most recent are remembered, in this instance's memory.
 */
public class Decoys {

    private static final int REMEMBERED = 1024;

    private final Steps steps;
    private final Clock clock;
    private final Map<String, Execution> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Execution> eldest) {
            return size() > REMEMBERED;
        }
    };

    public Decoys(Steps steps, Clock clock) {
        this.steps = steps;
        this.clock = clock;
    }

    public synchronized Execution make(SignupRequest input) {
        Execution decoy = Execution.start(input, clock.instant(), steps.names());
        recent.put(decoy.executionId(), decoy);
        return decoy;
    }

    public synchronized Optional<Execution> find(String executionId) {
        return Optional.ofNullable(recent.get(executionId));
    }
}
