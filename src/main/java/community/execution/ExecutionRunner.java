package community.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.StartupListener;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import community.signup.SignupRejected;

/**
 * Runs stored executions through {@code direct:run-execution} without holding the caller's thread, keeping those in
 * flight in memory so that their live progress can be read. It keeps the promise a {@code 202} makes: it renews the
 * leases of what it runs, takes over executions whose instance died, and on shutdown releases what it could not
 * finish so that another instance takes it over at once.
 */
public class ExecutionRunner extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRunner.class);
    private static final int RESUME_BATCH = 100;
    private static final int ADMISSION_THREADS = 16;

    private final CamelContext camelContext;
    private final ExecutionStore store;
    private final Clock clock;
    private final Duration leaseDuration;
    private final Duration recoveryInterval;
    private final SignupMetrics metrics;
    private final Map<String, Running> inFlight = new ConcurrentHashMap<>();
    /** Runs here whose lease another instance holds: no use renewing them, or saying so again. */
    private final Set<Running> lostLeases = ConcurrentHashMap.newKeySet();
    private final Queue<Running> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    /** In flight, no longer among the running: only steps the visitor does not see are left ({@link #stepEnded}). */
    private final AtomicInteger trailing = new AtomicInteger();
    private final Steps steps;
    private final int maxRunning;
    private final RequestWaits requestWaits;
    private final int maxWaiting;
    private final Duration admissionTimeout;
    private final Duration approvalTimeout;
    private final Queue<Turn> door = new ConcurrentLinkedQueue<>();
    private final AtomicInteger admitting = new AtomicInteger();
    private ExecutorService admissions;
    private final Map<String, AsyncProducer> routes = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    /** @param place whether it holds one of the {@code signup.max-running} places */
    private record Running(Execution execution, CompletableFuture<Execution> done, AtomicBoolean place) {
    }

    public ExecutionRunner(CamelContext camelContext, ExecutionStore store, Clock clock, Duration leaseDuration,
            Duration recoveryInterval, int maxRunning, int maxWaiting, Duration admissionTimeout,
            Duration approvalTimeout, RequestWaits requestWaits, SignupMetrics metrics, Steps steps) {
        this.approvalTimeout = approvalTimeout;
        this.steps = steps;
        this.requestWaits = requestWaits;
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.admissionTimeout = admissionTimeout;
        this.metrics = metrics;
        this.camelContext = camelContext;
        this.store = store;
        this.clock = clock;
        this.leaseDuration = leaseDuration;
        this.recoveryInterval = recoveryInterval;
    }

    /** Runs a newly stored execution, its completion in the exchange property {@code completion}. */
    public void launchIfCreated(Exchange exchange) {
        ExecutionStore.Start start = exchange.getIn().getBody(ExecutionStore.Start.class);
        if (start.created()) {
            metrics.accepted();
            exchange.setProperty("completion", launch(start.execution()));
        }
    }

    /**
     * Lets a new sign-up be stored: at once while fewer than {@code signup.max-waiting} executions wait their turn,
     * else first come first served as they start, so that an overload slows answers down instead of failing them
     * (waiting executions live in memory, which bounds them). After {@code signup.admission-timeout}: 503, nothing
     * stored. No thread of ours waits at the door (the HTTP server's worker does).
     */
    public CompletableFuture<Object> acceptingMore(Exchange exchange) {
        Object request = exchange.getIn().getBody();
        if (door.isEmpty() && waitingCount() < maxWaiting) {
            return CompletableFuture.completedFuture(request);
        }
        if (!requestWaits.tryHold()) {
            // every place to wait (a worker of the HTTP server each) is taken
            return CompletableFuture.failedFuture(busy());
        }
        metrics.admissionWait();
        Turn turn = new Turn(request);
        door.add(turn);
        // a place taken through the door counts as waiting until the sign-up is stored and launched (or refused)
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                release(turn);
            }
        });
        CompletableFuture.delayedExecutor(admissionTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            stopWaiting(turn);
            if (turn.completeExceptionally(busy())) {
                door.remove(turn);
            }
        });
        openDoor();
        return turn;
    }

    private static SignupRejected busy() {
        return SignupRejected.busy("too many sign-ups are waiting to be processed; please try again in a minute", 30);
    }

    /** A sign-up at the door; completes with its request once it may be stored. */
    private static final class Turn extends CompletableFuture<Object> {
        private final Object request;
        private final AtomicBoolean holdsPlace = new AtomicBoolean();
        private final AtomicBoolean waits = new AtomicBoolean(true);

        Turn(Object request) {
            this.request = request;
        }
    }

    /**
     * Gives back the turn's place to wait, before the turn completes: completing it runs the route on to its answer,
     * and the client's next request could find the place still taken.
     */
    private void stopWaiting(Turn turn) {
        if (turn.waits.compareAndSet(true, false)) {
            requestWaits.release();
        }
    }

    private void release(Turn turn) {
        if (turn.holdsPlace.compareAndSet(true, false)) {
            admitting.decrementAndGet();
            openDoor();
        }
    }

    private int waitingCount() {
        // in flight = running + waiting; counting the queue itself would walk it on every sign-up
        return inFlight.size() - running.get() - trailing.get() + admitting.get();
    }

    /** Lets sign-ups in from the door while there are places, on a pool: this may run on an event loop. */
    private void openDoor() {
        if (door.isEmpty()) {
            return;
        }
        synchronized (door) {
            while (!door.isEmpty() && waitingCount() < maxWaiting) {
                Turn next = door.poll();
                if (next != null) {
                    next.holdsPlace.set(true);
                    admitting.incrementAndGet();
                    admissions().execute(() -> {
                        stopWaiting(next);
                        if (!next.complete(next.request)) {
                            // it gave up (timed out) just before: the place is free again
                            release(next);
                        }
                    });
                }
            }
        }
    }

    private synchronized ExecutorService admissions() {
        if (admissions == null) {
            // fixed: a cached pool grew a thread (and its stack) for each sign-up let in at once
            admissions = camelContext.getExecutorServiceManager().newFixedThreadPool(this, "signup-admissions",
                    ADMISSION_THREADS);
        }
        return admissions;
    }

    public CompletableFuture<Execution> launch(Execution execution) {
        Running running = new Running(execution, new CompletableFuture<>(), new AtomicBoolean());
        Running already = inFlight.putIfAbsent(execution.executionId(), running);
        if (already != null) {
            return already.done();
        }
        waiting.add(running);
        admit();
        return running.done();
    }

    /**
     * Starts waiting executions while fewer than {@code signup.max-running} run; the rest wait here, stored and
     * leased: a burst calling out at once would queue for connections until its attempts timed out.
     */
    private void admit() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= maxRunning) {
                // the one started last left a place in the backlog: the door opens for it below
                break;
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Running next = waiting.poll();
            if (next == null) {
                running.decrementAndGet();
                continue;
            }
            next.place().set(true);
            fanOut(next);
        }
        openDoor();
    }

    private void fanOut(Running run) {
        Execution execution = run.execution();
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.setProperty("execution", execution);
        exchange.setProperty("toRun", stepsToRun(execution));
        exchange.setProperty("approved", approvedSteps(execution));
        exchange.getIn().setBody(execution);
        // asynchronous: no thread waits for the execution to end (a ProducerTemplate's asyncSend would hold one)
        runRoute().process(exchange, doneSync -> {
            Throwable failure = exchange.getException();
            if (failure != null) {
                if (isRunAllowed()) {
                    LOG.error("Execution {} could not be completed here: {}", execution.executionId(),
                            failure.toString());
                    releaseQuietly(execution);
                }
                inFlight.remove(execution.executionId());
                run.done().completeExceptionally(failure);
            } else {
                inFlight.remove(execution.executionId());
                run.done().complete(execution);
            }
            if (run.place().compareAndSet(true, false)) {
                running.decrementAndGet();
            } else {
                trailing.decrementAndGet();
            }
            admit();
        });
    }

    /**
     * After a step's outcome: once every step the visitor sees has ended and only steps they do not see are left
     * (the organisers' notice, which waits its turn behind the webhook's one a second), the execution leaves its
     * place among the {@code signup.max-running} to the next sign-up and finishes in its wake. Held to the end, a
     * burst of sign-ups ran at the notices' pace: 60 at once, the last visitor's own steps ended 31 to 51 s later
     * (12 s now, ActiveCampaign's five a second).
     */
    public void stepEnded(Exchange exchange) {
        if (steps.list().stream().noneMatch(Step::trails)) {
            // no such step here (no webhook): nothing to read, and no lock of the execution's to take
            return;
        }
        Execution execution = exchange.getProperty("execution", Execution.class);
        Running run = execution == null ? null : inFlight.get(execution.executionId());
        if (run == null || run.execution() != execution || !run.place().get()) {
            return;
        }
        Map<String, StepResult> results = execution.results();
        boolean visitorsDone = results.entrySet().stream()
                .allMatch(e -> e.getValue().status().isFinal() || !steps.step(e.getKey()).shown());
        // running: under way (its attempt queued behind the webhook's limit, or waiting to try again); one that is not
        // configured here goes from PENDING to SKIPPED at once, and leaves nothing to wait for
        boolean othersLeft = results.entrySet().stream()
                .anyMatch(e -> e.getValue().status() == StepStatus.RUNNING && !steps.step(e.getKey()).shown());
        if (visitorsDone && othersLeft && run.place().compareAndSet(true, false)) {
            trailing.incrementAndGet();
            running.decrementAndGet();
            // not on this step's thread: the next execution's steps would start within this step's exchange, which a
            // reload of the step's route then waits for (RouteReloadTest, editing a steps file under load)
            try {
                admissions().execute(this::admit);
            } catch (RejectedExecutionException stopping) {
                // the service is stopping: no execution starts here any more
            }
        }
    }

    /**
     * The unfinished steps, which the step routes run (all at first; on a resume or a redrive, the rest). A step
     * added to the fan-out since the execution was accepted is not one of them.
     */
    private static Set<String> stepsToRun(Execution execution) {
        return steps(execution, result -> !result.status().isFinal());
    }

    /** The steps an organiser has approved: a step with approval on waits unless it is one of them. */
    private static Set<String> approvedSteps(Execution execution) {
        return steps(execution, StepResult::isApproved);
    }

    private static Set<String> steps(Execution execution, Predicate<StepResult> which) {
        return execution.results().entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Once every step has an outcome: settles the status and stores the execution, holding no thread. */
    public CompletableFuture<Void> finish(Exchange exchange) {
        Execution execution = exchange.getProperty("execution", Execution.class);
        ExecutionStatus status = execution.settle(clock.instant());
        return store.finish(execution).thenAccept(stored -> {
            finished(execution, status, stored);
            if (stored) {
                // what the route goes on by: a FAILED one is told to the organisers
                exchange.setProperty("finished", status.name());
            }
        });
    }

    private void finished(Execution execution, ExecutionStatus status, boolean stored) {
        if (!stored) {
            LOG.warn("Execution {} was taken over by another instance before it finished here; its outcome is theirs",
                    execution.executionId());
            return;
        }
        if (status == ExecutionStatus.RUNNING) {
            try (MDC.MDCCloseable id = MDC.putCloseable("executionId", execution.executionId())) {
                LOG.info("Execution {} waits for an organiser's approval; stored, it holds no lease",
                        execution.executionId());
            }
            return;
        }
        metrics.executionFinished(execution);
        StringJoiner steps = new StringJoiner(", ");
        execution.results().forEach((step, r) -> steps.add(step + " " + r.status()
                + (r.error() == null ? "" : " " + r.error())
                + (r.startedAt() != null && r.stoppedAt() != null
                        ? " " + Duration.between(r.startedAt(), r.stoppedAt()).toMillis() + " ms" : "")));
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", execution.executionId())) {
            // a log line must not fail the run: an execution whose end was not recorded says so
            LOG.info("Execution {} {} in {} ms: {}", execution.executionId(), status,
                    execution.stoppedAt() == null ? "?"
                            : Duration.between(execution.startedAt(), execution.stoppedAt()).toMillis(), steps);
        }
    }

    /** Runs the FAILED steps of a FAILED execution again; false if it is not (or no longer) FAILED. */
    public boolean redrive(Execution execution) {
        if (execution.status() != ExecutionStatus.FAILED) {
            return false;
        }
        execution.results().forEach((step, result) -> {
            if (result.status() == StepStatus.FAILED) {
                execution.resetStep(step);
            }
        });
        execution.reopen();
        if (!store.redrive(execution)) {
            return false;
        }
        LOG.info("Execution {} redriven: running {} again", execution.executionId(), stepsToRun(execution));
        launch(execution);
        return true;
    }

    /**
     * An organiser's answer to a waiting execution ({@code approve}, {@code reject}, or {@code expire} when none
     * came in time); false if it no longer waits. Approved, its waiting steps run now, here, leased like any run (a
     * crash before they end leaves them to another instance); rejected or expired, it ends.
     */
    public boolean answer(Execution execution, String answer) {
        if (!execution.isWaiting()) {
            return false;
        }
        execution.answerWaiting(answer, clock.instant());
        if (answer.equals("approve")) {
            execution.reopen();
        } else {
            execution.settle(clock.instant());
        }
        if (!store.answered(execution)) {
            return false;
        }
        try (MDC.MDCCloseable id = MDC.putCloseable("executionId", execution.executionId())) {
            LOG.info("Execution {}: {}", execution.executionId(), answer.equals("expire")
                    ? "no organiser answered within " + approvalTimeout + "; it FAILED (Expired)"
                    : "an organiser answered " + answer);
        }
        if (answer.equals("approve")) {
            launch(execution);
        } else {
            metrics.executionFinished(execution);
            if (execution.status() == ExecutionStatus.FAILED) {
                // expired: what follows any execution that FAILED (the organisers told) follows this one too
                Exchange failed = new DefaultExchange(camelContext);
                failed.setProperty("execution", execution);
                route("direct:execution-failed").process(failed, doneSync -> {
                });
            }
        }
        return true;
    }

    /** Requests no organiser answered within {@code signup.approval-timeout}: they FAILED, Expired. */
    private void expireWaiting() {
        for (Execution execution : store.waitingSince(clock.instant().minus(approvalTimeout), RESUME_BATCH)) {
            answer(execution, "expire");
        }
    }

    /**
     * The stored execution once its run here has ended, within {@code atMost} (an invite can wait while the other
     * steps still run; it is stored as waiting when they end). Empty when it does not run here, or still runs.
     */
    public Optional<Execution> storedAfterItsRun(String executionId, Duration atMost) {
        Running running = inFlight.get(executionId);
        if (running == null) {
            return Optional.empty();
        }
        try {
            running.done().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ended) {
            // not stored here: the store says how it stands
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return store.find(executionId);
    }

    /** The live execution if it runs here now, else the stored one. */
    public Optional<Execution> find(String executionId) {
        Running running = inFlight.get(executionId);
        return running != null ? Optional.of(running.execution()) : store.find(executionId);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "execution-leases");
        long renewEvery = Math.max(100, leaseDuration.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::resumeAbandoned, 0, recoveryInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the work starts once the routes are up: see onCamelContextFullyStarted
    }

    private void renewLeases() {
        lostLeases.retainAll(inFlight.values());
        // all sent, then awaited: one at a time, a long backlog would outlast its leases
        Map<Running, CompletableFuture<Boolean>> renewals = new HashMap<>();
        for (Running running : inFlight.values()) {
            if (!lostLeases.contains(running)) {
                renewals.put(running, store.renew(running.execution()));
            }
        }
        renewals.forEach((running, renewal) -> {
            String executionId = running.execution().executionId();
            try {
                // a renewal that crossed the final write finds no lease, yet the execution ended here: its
                // status is settled before that write is sent
                if (!renewal.join() && running.execution().status() == ExecutionStatus.RUNNING
                        && inFlight.get(executionId) == running && lostLeases.add(running)) {
                    LOG.warn("Lost the lease of execution {}: another instance has taken it over", executionId);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease of execution {}: {}", executionId, e.toString());
            }
        });
    }

    /** Expires unanswered approvals and takes over executions whose instance died. */
    void resumeAbandoned() {
        inRound("look for expired approval requests", this::expireWaiting);
        inRound("look for abandoned executions", () -> {
            for (Execution execution : store.abandoned(RESUME_BATCH)) {
                if (!isRunAllowed() || inFlight.containsKey(execution.executionId())) {
                    continue;
                }
                if (store.takeOver(execution)) {
                    LOG.info("Resuming execution {}, abandoned by its instance: running {}",
                            execution.executionId(), stepsToRun(execution));
                    metrics.resumed();
                    launch(execution);
                }
            }
        });
    }

    /** One part of a recovery round; a failure is said (not while stopping: the stop interrupts it on purpose). */
    private void inRound(String what, Runnable part) {
        try {
            part.run();
        } catch (RuntimeException e) {
            if (isRunAllowed()) {
                LOG.warn("Could not {}: {}", what, e.toString());
            }
        }
    }

    private boolean releaseQuietly(Execution execution) {
        // shutdown may run this on a thread it has interrupted, from which the SDK would send nothing
        boolean interrupted = Thread.interrupted();
        try {
            return store.release(execution);
        } catch (RuntimeException e) {
            LOG.warn("Could not release the lease of execution {}; it will expire: {}", execution.executionId(),
                    e.toString());
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdownNow(scheduler);
        }
        for (Turn turn = door.poll(); turn != null; turn = door.poll()) {
            stopWaiting(turn);
            turn.completeExceptionally(SignupRejected.busy("the service is stopping; please try again in a minute", 30));
        }
        for (Running running : inFlight.values()) {
            if (releaseQuietly(running.execution())) {
                LOG.info("Released execution {} for another instance to finish", running.execution().executionId());
            }
        }
    }

    private AsyncProducer runRoute() {
        return route("direct:run-execution");
    }

    private AsyncProducer route(String uri) {
        return routes.computeIfAbsent(uri, endpoint -> {
            try {
                AsyncProducer producer = camelContext.getEndpoint(endpoint).createAsyncProducer();
                ServiceHelper.startService(producer);
                return producer;
            } catch (Exception e) {
                throw new IllegalStateException("cannot reach " + endpoint, e);
            }
        });
    }
}
