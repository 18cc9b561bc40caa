package community.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a changed {@code routes/*.camel.yaml} while the service runs, safely: only the routes of the changed file
 * are replaced (Camel's own reload removes every route first, which is for development), a file that does not
 * parse is refused before anything is touched, and a file whose routes fail to start is refused and its last
 * good version put back. Either way one log line names the file, the line and the problem, and the routes that
 * were running keep serving. Callers of a route being replaced wait for it (direct endpoints block until their
 * consumer is back), so sign-ups in flight do not fail.
 */
public class SafeRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReload.class);
    private static final Pattern TEMPLATE_ID = Pattern.compile("- routeTemplate:\\s*\\n\\s+id:\\s*\"?([\\w-]+)");
    private static final Pattern YAML_LINE = Pattern.compile("line (\\d+), column (\\d+)");
    /** Longer than a save takes to write the rest of a file, short beside the seconds a reload may take. */
    private static final Duration SETTLE = Duration.ofMillis(250);

    private final Path directory;
    private final Map<String, String> lastGood = new ConcurrentHashMap<>();
    /** What each file held when it was last loaded or refused: a change event that brings nothing new is passed over. */
    private final Map<String, String> lastDecided = new ConcurrentHashMap<>();
    private final HttpRequestHold requests;
    private final Duration drain;

    /**
     * @param drain how long a step's route being made again may take to finish the exchanges in it: a step waiting
     *        out its back-off is one of them, so at least the longest wait a step can meet (Camel's own stop would
     *        cut it after camel.main.shutdown-timeout and fail that step)
     */
    public SafeRouteReload(Path directory, String pattern, HttpRequestHold requests, Duration drain) {
        super(directory.toString(), false);
        this.drain = drain;
        this.requests = requests;
        this.directory = directory;
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                lastGood.put(file.getFileName().toString(), content);
                lastDecided.put(file.getFileName().toString(), content);
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null || resources.isEmpty()) {
            super.onRouteReload(resources, removeEverything);
            return;
        }
        // Each file is read once, so that every decision below is about the same content (null: the file is gone).
        // An editor saving a file truncates it first: its content comes with the next change.
        Map<Resource, String> changed = new LinkedHashMap<>();
        for (Resource resource : resources) {
            String content = read(resource);
            String file = fileName(resource);
            if (content == null) {
                // Camel removes no route for a file that is gone, nor does this: a restart does
                if (lastDecided.remove(file) != null) {
                    LOG.info("{} is gone: the routes it had keep running until the service restarts", name(resource));
                }
            } else if (!content.isBlank() && !content.equals(lastDecided.get(file))) {
                // (an editor's save, or a write in pieces, brings several events for the same content)
                changed.put(ResourceHelper.fromString(resource.getLocation(), content), content);
            }
        }
        if (!changed.isEmpty()) {
            reload(changed);
        }
    }

    /** Loads the changed files, each as read once (the resources hold that content, under the file's location). */
    private void reload(Map<Resource, String> changed) {
        for (Map.Entry<Resource, String> file : changed.entrySet()) {
            Resource resource = file.getKey();
            String problem = parseProblem(resource);
            if (problem != null && !file.getValue().equals(settled(resource))) {
                // caught while it is being written (a large file is written in pieces): the rest comes with the
                // next change, and this one is decided then
                LOG.debug("Skipped {}: it changed while it was read", name(resource));
                return;
            }
            if (problem != null) {
                lastDecided.put(fileName(resource), file.getValue());
                LOG.warn("Refused {}: {}; the routes running before keep serving", name(resource), problem);
                return;
            }
        }
        // HTTP routes being replaced: requests wait for the new ones instead of meeting no route (404)
        boolean http = changed.entrySet().stream()
                .anyMatch(file -> servesHttp(file.getValue()) || servesHttp(lastGood.get(fileName(file.getKey()))));
        if (http) {
            requests.hold();
        }
        try {
            forgetTemplates(changed.values());
            // the content checked above is what is loaded: Camel's own reload would read the file again (an
            // editor may be writing it by then), and after a refused file would load that file again with the
            // next edit of any other
            Set<String> ids = PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(changed.keySet());
            remakeTemplatedRoutes(changed);
            LOG.info("Reloaded {}: routes {}", changed.keySet().stream().map(this::name).toList(), ids);
            // only now good: a failure above puts back what ran before
            changed.forEach((resource, content) -> {
                lastGood.put(fileName(resource), content);
                lastDecided.put(fileName(resource), content);
            });
            // a file refused before may start now (it used what this edit brings): saving it again tries it again
            lastDecided.entrySet().removeIf(file -> !file.getValue().equals(lastGood.get(file.getKey())));
        } catch (Exception e) {
            changed.forEach((resource, content) -> lastDecided.put(fileName(resource), content));
            Map<Resource, String> problems = new LinkedHashMap<>();
            changed.forEach((resource, content) -> problems.put(resource, startProblem(e, content)));
            Map<Resource, String> restored = new LinkedHashMap<>();
            changed.keySet().forEach(resource -> restored.put(resource, restore(resource)));
            try {
                // the steps made from the edit (or removed before it failed) are made again from what ran before
                remakeTemplatedRoutes(restored);
            } catch (RuntimeException again) {
                LOG.error("Could not make the steps' routes again from their last good versions: {}", oneLine(again));
            }
            // said once the last good version runs again, not while it is being put back; a file caught while it was
            // written can also parse and then fail to start (cut after "timePeriodMillis: ", an empty value): the
            // rest comes with the next change, and that version is decided then
            problems.forEach((resource, problem) -> {
                if (!changed.get(resource).equals(settled(resource))) {
                    LOG.debug("Skipped {}: it changed while it was read", name(resource));
                } else {
                    LOG.warn("Refused {}: {}; its last good version is running again", name(resource), problem);
                }
            });
        } finally {
            if (http) {
                requests.release();
            }
        }
    }

    /**
     * Camel adds a reloaded file's route templates beside those it has, and finds a template by its first one:
     * the templates an edited file defines are removed first, so that the new version is the one used.
     */
    private void forgetTemplates(Collection<String> contents) {
        Model model = getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
        for (String content : contents) {
            Matcher template = TEMPLATE_ID.matcher(String.valueOf(content));
            while (template.find()) {
                try {
                    model.removeRouteTemplateDefinitions(template.group(1));
                } catch (Exception e) {
                    throw new IllegalStateException("could not replace route template " + template.group(1), e);
                }
            }
        }
    }

    /**
     * Camel's reload replaces a file's routes but does not make its templated routes again (Camel 4.18's
     * RouteBuilder.updateRoutesToCamelContext skips them): the templated routes of an edited file, and after an
     * edit of a template those of every file, are made again here from their new definitions.
     */
    private void remakeTemplatedRoutes(Map<Resource, String> changed) {
        boolean templateChanged = changed.values().stream()
                .anyMatch(content -> String.valueOf(content).contains("- routeTemplate:"));
        Map<String, String> files = new LinkedHashMap<>();
        changed.forEach((resource, content) -> files.put(fileName(resource), content));
        if (templateChanged) {
            lastGood.forEach(files::putIfAbsent);
        }
        List<Resource> remake = new ArrayList<>();
        files.forEach((file, content) -> {
            if (content != null && content.contains("- templatedRoute:")) {
                remake.add(ResourceHelper.fromString("file:" + directory.resolve(file).toAbsolutePath(), content));
            }
        });
        for (Resource resource : remake) {
            try {
                for (RoutesBuilder builder : PluginHelper.getRoutesLoader(getCamelContext())
                        .findRoutesBuilders(List.of(resource))) {
                    if (builder instanceof RouteBuilder routes) {
                        routes.configureRoutes(getCamelContext());
                        for (TemplatedRouteDefinition templated : routes.getTemplatedRouteCollection()
                                .getTemplatedRoutes()) {
                            String id = templated.getRouteId();
                            if (id != null && getCamelContext().getRoute(id) != null) {
                                getCamelContext().getRouteController().stopRoute(id, drain.toMillis(),
                                        TimeUnit.MILLISECONDS);
                                getCamelContext().removeRoute(id);
                            }
                        }
                        routes.addTemplatedRoutesToCamelContext(getCamelContext());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not make the templated routes of " + name(resource) + " again: "
                        + oneLine(e), e);
            }
        }
    }

    private static boolean servesHttp(String content) {
        return content != null && content.contains("platform-http:");
    }

    /** Puts back the last good version of a file's routes; returns it, or null when there was none. */
    private String restore(Resource resource) {
        String good = lastGood.get(fileName(resource));
        if (good == null) {
            return null;
        }
        try {
            forgetTemplates(List.of(good));
            Set<String> ids = PluginHelper.getRoutesLoader(getCamelContext())
                    .updateRoutes(List.of(ResourceHelper.fromString(resource.getLocation(), good)));
            for (String id : ids) {
                getCamelContext().getRouteController().startRoute(id);
            }
            LOG.info("Put back the last good version of {}: routes {}", name(resource), ids);
        } catch (Exception e) {
            LOG.error("Could not put back the last good version of {}: {}", name(resource), oneLine(e));
        }
        return good;
    }

    /** Parses the file without touching any route: null when it parses, else what is wrong and where. */
    private String parseProblem(Resource resource) {
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).findRoutesBuilders(List.of(resource));
            return null;
        } catch (Exception e) {
            String message = oneLine(e);
            Matcher at = YAML_LINE.matcher(message);
            return at.find() ? "line " + at.group(1) + ", column " + at.group(2) + ": " + message : message;
        }
    }

    /** What made a route fail to start, with the line of the route in the file when it can be found. */
    private static String startProblem(Exception e, String content) {
        String message = oneLine(e);
        Matcher route = Pattern.compile("Failed to create route: ([\\w-]+)").matcher(String.valueOf(e.getMessage()));
        if (route.find() && content != null) {
            String[] lines = content.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].strip().equals("id: " + route.group(1))) {
                    return "line " + (i + 1) + ", route " + route.group(1) + ": " + message;
                }
            }
        }
        return message;
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    /**
     * What the file holds once a moment has passed with no change: a file written in pieces can be read between two
     * of them, and read again at once it may still be the same piece (this runs on the watcher's own thread).
     */
    private String settled(Resource resource) {
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return onDisk(resource);
    }

    /** What the file holds now, or null when it cannot be read. */
    private String onDisk(Resource resource) {
        try {
            return Files.readString(directory.resolve(fileName(resource)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String fileName(Resource resource) {
        String location = resource.getLocation();
        return location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf(':')) + 1);
    }

    private String name(Resource resource) {
        return directory.resolve(fileName(resource)).toString();
    }
}
