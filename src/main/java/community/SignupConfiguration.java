package community;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import community.dynamodb.DynamoDbConnection;
import community.dynamodb.DynamoDbHealthCheck;
import community.dynamodb.DynamoDbRequests;
import community.dynamodb.DynamoDbTables;
import community.dynamodb.StoreNotStarted;
import community.execution.ExecutionRunner;
import community.execution.ExecutionStore;
import community.execution.Json;
import community.execution.RequestWaits;
import community.execution.SignupMetrics;
import community.execution.Steps;
import community.observe.ClassArchiveMark;
import community.observe.ExecutionLogging;
import community.routes.HttpRequestHold;
import community.routes.SafeRouteReload;
import community.signup.CaptchaCheck;
import community.signup.ClientAddresses;
import community.signup.ClientRateLimit;
import community.signup.SignupRequests;
import community.steps.ActiveCampaignContacts;
import community.steps.InviteMails;
import community.steps.MemberRecords;
import community.steps.OrganiserNotices;
import community.steps.OutboundRateLimits;
import community.steps.SecretMask;
import community.steps.SlackInvites;
import community.steps.StepAttempts;
import community.steps.StepResults;
import community.steps.UpstreamAnswerLimit;
import community.web.AlreadySignedUp;
import community.web.Decoys;
import community.web.ExecutionPages;
import community.web.HttpErrors;
import community.web.HttpRequestLimit;
import community.web.HttpServerErrors;
import community.web.InviteLinkUse;
import community.web.MembersBadge;
import community.web.MembersExport;
import community.web.OperatorApi;
import community.web.SignupAnswers;
import community.web.SignupCors;
import community.web.SignupPage;

/**
 * Binds the beans the routes refer to by name, from the configuration (environment variables override
 * {@code application.properties}: {@code SLACK_ADMIN_TOKEN} is {@code slack.admin-token}), and connects to
 * DynamoDB, starting the embedded store when none is configured.
 */
public class SignupConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SignupConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings.SlackInviteMode invites = Settings.validateAndLog(context);
        ClassArchiveMark.watch(System.getProperty("signup.class-archive-dump"));
        Clock clock = Clock.systemUTC();

        String slackApiUrl = setting(context, "slack.api-url", "");
        if (slackApiUrl.isBlank()) {
            String organization = setting(context, "slack.organization", "");
            slackApiUrl = organization.isBlank() ? "https://slack.com/api"
                    : "https://" + organization + ".slack.com/api";
        }
        properties.addOverrideProperty("slack.api-url", slackApiUrl.replaceAll("/+$", ""));
        // ActiveCampaign's documents give its API's base as https://{account}.api-us1.com/api/3/, where the routes add
        // /api/3/... (v3) or /admin/api.php (v1) to the account's address: pasted, /api/3 went twice (HTTP 404)
        String acUrl = setting(context, "activecampaign.url", "");
        if (!acUrl.isEmpty()) {
            properties.addOverrideProperty("activecampaign.url", acUrl.replaceAll("(/api/3)?/*$", ""));
        }

        String slackToken = setting(context, "slack.admin-token", "");
        String acKey = setting(context, "activecampaign.api-key", "");
        // the service's secrets, and the AWS credentials the SDK's default chain takes from the environment
        List<String> secretValues = new ArrayList<>(Settings.SECRETS.stream().map(key -> setting(context, key, ""))
                .toList());
        for (String aws : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            secretValues.add(System.getenv(aws));
        }
        // a webhook's address holds its token in its path: an answer that echoes the path alone is masked too
        String webhookPath = URI.create(setting(context, "slack.notify-webhook-url", "")).getPath();
        if (webhookPath != null && webhookPath.length() > 1) {
            secretValues.add(webhookPath);
            secretValues.add(webhookPath.substring(webhookPath.lastIndexOf('/') + 1));
        }
        SecretMask secrets = new SecretMask(secretValues);

        // Camel's Prometheus support may have made its registry already; our meters go into the same one.
        MeterRegistry meters = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        SignupMetrics metrics = new SignupMetrics(meters);
        DynamoDbRequests dynamoDbRequests = new DynamoDbRequests(metrics);
        DynamoDbConnection dynamoDb = DynamoDbConnection.open(
                setting(context, "dynamodb.endpoint", ""),
                setting(context, "aws.region", ""),
                Path.of(setting(context, "signup.dynalite-home", "embedded-dynamodb")),
                Path.of(setting(context, "signup.data-dir", "data"), "dynamodb"),
                Duration.ofMillis(millis(context, "dynamodb.timeout", "6000")), dynamoDbRequests);
        String membersTable = setting(context, "dynamodb.table", "signup-members");
        String executionsTable = setting(context, "dynamodb.executions-table", "signup-executions");
        try {
            if (Boolean.parseBoolean(setting(context, "signup.dynamodb.create-tables", "true"))) {
                // a local store creates a table in well under a second; AWS in seconds to a minute
                boolean local = dynamoDb.local();
                DynamoDbTables.createIfMissing(dynamoDb.storeClient(), membersTable, executionsTable,
                        Duration.ofMillis(local ? 100 : 1000), Duration.ofSeconds(local ? 5 : 10));
            } else {
                DynamoDbTables.requireTables(dynamoDb.storeClient(), membersTable, executionsTable);
            }
        } catch (SdkException e) {
            // the store's first call: nothing answers at the address, no credentials found, access denied
            throw new StoreNotStarted("cannot use " + dynamoDb.description() + " to find or create the tables: "
                    + StoreNotStarted.reason(e), e);
        }

        // The HTTP server gets half the cores as event loops (Vert.x's default is twice the cores): each loop finds
        // more to do per wake-up.
        int eventLoops = Integer.parseInt(setting(context, "signup.http.event-loops",
                Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))));
        int workers = Integer.parseInt(setting(context, "signup.http.worker-threads", "96"));
        VertxOptions serverOptions = new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(workers);

        // a waiting request (?wait=true, the door) holds a worker thread of the HTTP server: two thirds of them at
        // most, the rest for the requests being handled (each for a millisecond or two)
        RequestWaits requestWaits = new RequestWaits(
                Integer.parseInt(setting(context, "signup.max-waits", Integer.toString(Math.max(1, workers * 2 / 3)))));
        String instanceId = setting(context, "signup.instance-id", "");
        if (instanceId.isBlank()) {
            instanceId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        Duration lease = Duration.ofMillis(millis(context, "signup.lease-duration", "30s"));
        DynamoDbClient storeWrites = dynamoDb.writes(3, dynamoDbRequests);
        // sign-ups whose e-mail already has an execution are sorted out here (a read or two, blocking); a storm of
        // them past the queue gets 503. Abort, not Camel's default CallerRuns: past the queue a sign-up is refused,
        // not sorted out on the caller's thread behind the queue's work.
        int lookups = Integer.parseInt(setting(context, "signup.lookup-threads", "8"));
        ExecutorService storeLookups = context.getExecutorServiceManager().newThreadPool(this, "execution-store",
                new ThreadPoolProfileBuilder("execution-store").poolSize(lookups).maxPoolSize(lookups)
                        .maxQueueSize(Integer.parseInt(setting(context, "signup.lookup-queue", "1000")))
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                        .allowCoreThreadTimeOut(true).build());
        // the steps are the fan-out's (run-execution.camel.yaml), read again after an operator's edit
        Steps steps = new Steps(context);
        context.getManagementStrategy().addEventNotifier(steps);
        ExecutionStore store = new ExecutionStore(dynamoDb.storeClient(), storeWrites, executionsTable, clock,
                instanceId, lease, storeLookups, steps);
        ExecutionRunner runner = new ExecutionRunner(context, store, clock, lease,
                Duration.ofMillis(millis(context, "signup.recovery-interval", "10s")),
                Integer.parseInt(setting(context, "signup.max-running", "32")),
                Integer.parseInt(setting(context, "signup.max-waiting", "10000")),
                Duration.ofMillis(millis(context, "signup.admission-timeout", "10s")),
                Duration.ofMillis(millis(context, "signup.approval-timeout", "14d")), requestWaits, metrics, steps);
        LOG.info("Instance {} owns the executions it runs through {} leases", instanceId, lease);

        var registry = context.getRegistry();
        registry.bind("httpServerOptions", serverOptions);
        // RecordAC's marshal names this mapper, and jsonpath takes it as the registry's only ObjectMapper: both would
        // otherwise make their own, which keep buffers per thread
        registry.bind("jsonMapper", new ObjectMapper(Json.factory()));
        registry.bind("executionStore", store);
        registry.bind("executionRunner", runner);
        // a processor of its own, not the runner: a route that calls a bean which is a service stops and starts it
        // with itself, and a step's route is made again by each edit of its file
        registry.bind("stepEnded", (Processor) runner::stepEnded);
        registry.bind("stepResults", new StepResults(clock, metrics));
        StepAttempts attempts = new StepAttempts(clock, secrets, millis(context, "signup.retry-after-max", "60000"),
                metrics);
        registry.bind("stepAttempts", attempts);
        // the step policy's hooks (steps.camel.yaml)
        registry.bind("retryableFailure", (Predicate) attempts::retryable);
        registry.bind("nextAttempt", (Processor) attempts::begin);
        List<String> corsOrigins = Settings.corsOrigins(context);
        registry.bind("signupRequests", new SignupRequests(Set.copyOf(corsOrigins),
                !setting(context, "signup.coc-url", "").isBlank()));
        ClientAddresses clients = new ClientAddresses(Settings.list(context, "signup.trusted-proxies"));
        registry.bind("clientRateLimit",
                new ClientRateLimit(Integer.parseInt(setting(context, "signup.rate-limit", "10")), clients));
        HttpRequestHold requestHold = new HttpRequestHold();
        context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class,
                new ExecutionLogging(requestHold));
        CaptchaCheck captcha = new CaptchaCheck(setting(context, "signup.captcha", "turnstile"),
                setting(context, "signup.captcha-site-key", ""), setting(context, "signup.captcha-secret", ""),
                setting(context, "signup.captcha-verify-url", ""));
        registry.bind("captchaCheck", captcha);
        properties.addOverrideProperty("signup.captcha-enabled", Boolean.toString(captcha.enabled()));
        properties.addOverrideProperty("signup.captcha-verify-url", captcha.verifyUrl());
        boolean approval = Boolean.parseBoolean(setting(context, "signup.approval", "false"));
        boolean mail = !setting(context, "signup.mail-url", "").isBlank();
        ActiveCampaignContacts activeCampaign = new ActiveCampaignContacts(acKey,
                setting(context, "activecampaign.list-id", ""));
        boolean activeCampaignConfigured = activeCampaign.configured(setting(context, "activecampaign.url", ""));
        AlreadySignedUp repeat = AlreadySignedUp.of(invites.mode(), approval, mail,
                setting(context, "slack.invite-url", ""), setting(context, "slack.organization", ""));
        // a failed sign-up is told to the organisers' webhook (notify-failure) when it is set and not turned off
        String webhook = setting(context, "slack.notify-webhook-url", "");
        boolean organisersTold = !webhook.isBlank()
                && !setting(context, "slack.notify-failures", "true").equals("false");
        properties.addOverrideProperty("slack.notify-failures-on", Boolean.toString(organisersTold));
        SignupPage.Promise promise = SignupPage.promise(invites.mode(), approval, mail, activeCampaignConfigured,
                organisersTold);
        SignupPage page = new SignupPage(setting(context, "signup.title", ""),
                setting(context, "signup.accent", ""), setting(context, "signup.coc-url", ""),
                setting(context, "signup.privacy-url", ""),
                promise, repeat, captcha, steps, corsOrigins);
        registry.bind("signupPage", page);
        registry.bind("signupAnswers", new SignupAnswers(
                Duration.ofMillis(millis(context, "signup.wait-timeout", "30s")), repeat, requestWaits));
        Decoys decoys = new Decoys(steps, clock);
        ExecutionPages pages = new ExecutionPages(runner, steps, repeat, decoys, page.visitorPagesCsp(),
                promise.afterFailure());
        registry.bind("executionPages", pages);
        registry.bind("membersBadge", new MembersBadge(store, page.accent(),
                Duration.ofMillis(millis(context, "signup.badge-cache", "60s"))));
        registry.bind("httpErrors", new HttpErrors(metrics, decoys, pages));
        InviteLinkUse inviteLink = new InviteLinkUse(store, clock, invites.mode(),
                setting(context, "slack.invite-url", ""));
        inviteLink.start();
        registry.bind("inviteLinkUse", inviteLink);
        registry.bind("operatorApi", new OperatorApi(setting(context, "signup.admin-token", ""), store, runner,
                clients, inviteLink));
        registry.bind("memberRecords", new MemberRecords(clock));
        registry.bind("membersExport", new MembersExport(context, clock));
        // RecordDB's aws2-ddb endpoint: one attempt each, within dynamodb.timeout (the step's policy retries)
        registry.bind("stepDynamoDb", dynamoDb.probeClient());
        registry.bind("outboundRateLimits", new OutboundRateLimits(metrics));
        // every http: endpoint's answers are capped in size and time (application.properties, camel.component.http);
        // a deadline is set and, nearly always, cancelled on each call: cancelled ones leave the queue at once
        ScheduledExecutorService deadlines = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "upstream-deadlines");
        if (deadlines instanceof ScheduledThreadPoolExecutor pool) {
            pool.setRemoveOnCancelPolicy(true);
        }
        registry.bind("upstreamAnswerLimit", new UpstreamAnswerLimit(deadlines));
        LOG.info(invites.mode().equals("none") ? "Slack invites are off ({}): InviteSlack is SKIPPED"
                : "Slack invites: " + invites.mode() + " mode ({})", invites.why());
        SlackInvites slack = new SlackInvites(slackToken, setting(context, "slack.team-id", ""),
                setting(context, "slack.channels", ""));
        registry.bind("slackInvites", slack);
        registry.bind("activeCampaignContacts", activeCampaign);
        // What the routes choose by, as properties: cheaper than calling a bean on every sign-up, and no secret
        // has to appear in a route to tell whether it is set.
        // NotifyOrganisers: the webhook's origin is its endpoint; its address, a secret, goes only in a header
        properties.addOverrideProperty("slack.notify-configured", Boolean.toString(!webhook.isBlank()));
        properties.addOverrideProperty("slack.notify-webhook-origin", webhook.isBlank() ? "https://hooks.slack.com"
                : URI.create(webhook).resolve("/").toString().replaceAll("/$", ""));
        registry.bind("organiserNotices", new OrganiserNotices(approval, setting(context, "signup.public-url", ""),
                millis(context, "signup.retry-after-max", "60000")));
        configureMail(context);
        properties.addOverrideProperty("slack.invite-mode", invites.mode());
        properties.addOverrideProperty("slack.configured", Boolean.toString(!invites.mode().equals("none")));
        properties.addOverrideProperty("slack.invite-method",
                invites.mode().equals("admin") ? "admin.users.invite" : "users.admin.invite");
        // what the visitor's page says once the invite went out, by mode (the link itself follows in link mode)
        properties.addOverrideProperty("slack.done-words", invites.mode().equals("link")
                ? "You are in! Join our Slack workspace with this invite link:"
                : "Invite sent! Check your inbox for an e-mail from Slack.");
        properties.addOverrideProperty("activecampaign.configured", Boolean.toString(activeCampaignConfigured));
        properties.addOverrideProperty("activecampaign.subscribes-to-list",
                Boolean.toString(activeCampaign.subscribesToList()));

        HealthCheckRegistry health = HealthCheckHelper.getHealthCheckRegistry(context);
        if (health != null) {
            health.register(new DynamoDbHealthCheck(dynamoDb.probeClient(), executionsTable));
        }
        if (Boolean.parseBoolean(setting(context, "signup.routes-reload", "true"))) {
            context.addStartupListener(requestHold);
            // a step's longest wait between attempts (a Retry-After, or the longest back-off), and an attempt
            long longestWait = Math.max(millis(context, "signup.retry-after-max", "60000"), Math.max(
                    millis(context, "slack.retry-max-delay", "30000"), Math.max(
                            millis(context, "activecampaign.retry-max-delay", "30000"),
                            millis(context, "dynamodb.retry-max-delay", "30000"))));
            long longestAttempt = Math.max(millis(context, "slack.timeout", "6000"), Math.max(
                    millis(context, "activecampaign.timeout", "6000"), millis(context, "dynamodb.timeout", "6000")));
            context.addService(new SafeRouteReload(Path.of(setting(context, "signup.routes-directory", "routes")),
                    "*.camel.yaml", requestHold, Duration.ofMillis(longestWait + 2 * longestAttempt)));
        }
        context.addStartupListener(new HttpServerErrors());
        context.addStartupListener(new HttpRequestLimit(
                Integer.parseInt(setting(context, "signup.http.max-requests", "512")), metrics));
        context.addStartupListener(new SignupCors(corsOrigins));
        context.addStartupListener(runner);
        context.addService(runner);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                storeWrites.close();
                dynamoDb.close();
            }
        });
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "signup";
        }
    }

    private static String setting(CamelContext context, String key, String defaultValue) {
        String value = Settings.value(context, key);
        return value.isEmpty() ? defaultValue : value;
    }

    private static long millis(CamelContext context, String key, String defaultValue) {
        return TimeUtils.toMilliSeconds(setting(context, key, defaultValue));
    }

    /**
     * E-mail to the person (SIGNUP_MAIL_*): camel-mail's smtp or smtps component gets the credentials, so that the
     * route's endpoint is only the server's address; smtp upgrades to TLS with STARTTLS when the server offers it.
     */
    private void configureMail(CamelContext context) {
        String url = setting(context, "signup.mail-url", "");
        String title = setting(context, "signup.title", "");
        context.getRegistry().bind("inviteMails", new InviteMails(title.isBlank() ? "our community" : title.strip()));
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("signup.mail-configured", Boolean.toString(!url.isBlank()));
        properties.addOverrideProperty("signup.mail-endpoint", url.isBlank() ? "smtp://localhost" : url);
        if (url.isBlank()) {
            return;
        }
        MailConfiguration mail = context.getComponent(url.startsWith("smtps") ? "smtps" : "smtp", MailComponent.class)
                .getConfiguration();
        String username = setting(context, "signup.mail-username", "");
        if (!username.isBlank()) {
            mail.setUsername(username);
            mail.setPassword(setting(context, "signup.mail-password", ""));
        }
        int timeout = (int) millis(context, "slack.timeout", "6000");
        mail.setConnectionTimeout(timeout);
        Properties javaMail = new Properties();
        javaMail.setProperty("mail.smtp.starttls.enable", "true");
        // STARTTLS is the server's offer, and whoever sits between us can strip it from the answer: JavaMail then
        // sent the password unencrypted. With a login, smtp:// needs the TLS upgrade, but to a relay on this machine
        String host = URI.create(url).getHost();
        if (!username.isBlank() && !Settings.isThisMachine(host)) {
            javaMail.setProperty("mail.smtp.starttls.required", "true");
        }
        javaMail.setProperty("mail.smtp.timeout", Integer.toString(timeout));
        javaMail.setProperty("mail.smtp.writetimeout", Integer.toString(timeout));
        mail.setAdditionalJavaMailProperties(javaMail);
        LOG.info("E-mail to the person goes through {}", url);
    }
}
