package community.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final Pattern YAML_LINE = Pattern.compile("line (\\d+), column (\\d+)");

    private final Path directory;
    private final Map<String, String> lastGood = new ConcurrentHashMap<>();
    private final HttpRequestHold requests;

    public SafeRouteReload(Path directory, String pattern, HttpRequestHold requests) {
        super(directory.toString(), false);
        this.requests = requests;
        this.directory = directory;
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                lastGood.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
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
        for (Resource resource : resources) {
            String problem = parseProblem(resource);
            if (problem != null) {
                LOG.warn("Refused {}: {}; the routes running before keep serving", name(resource), problem);
                return;
            }
        }
        // HTTP routes being replaced: requests wait for the new ones instead of meeting no route (404)
        boolean http = resources.stream().anyMatch(r -> servesHttp(read(r)) || servesHttp(lastGood.get(fileName(r))));
        if (http) {
            requests.hold();
        }
        try {
            super.onRouteReload(resources, removeEverything);
            for (Resource resource : resources) {
                String content = read(resource);
                if (content != null) {
                    lastGood.put(fileName(resource), content);
                }
            }
        } catch (RuntimeException e) {
            for (Resource resource : resources) {
                LOG.warn("Refused {}: {}; its last good version is running again", name(resource),
                        startProblem(e, read(resource)));
                restore(resource);
            }
        } finally {
            if (http) {
                requests.release();
            }
        }
    }

    private static boolean servesHttp(String content) {
        return content != null && content.contains("platform-http:");
    }

    private void restore(Resource resource) {
        String good = lastGood.get(fileName(resource));
        if (good == null) {
            return;
        }
        try {
            Set<String> ids = PluginHelper.getRoutesLoader(getCamelContext())
                    .updateRoutes(List.of(ResourceHelper.fromString(resource.getLocation(), good)));
            for (String id : ids) {
                getCamelContext().getRouteController().startRoute(id);
            }
            LOG.info("Put back the last good version of {}: routes {}", name(resource), ids);
        } catch (Exception e) {
            LOG.error("Could not put back the last good version of {}: {}", name(resource), oneLine(e));
        }
    }

    /** Parses the file without touching any route: null when it parses, else what is wrong and where. */
    private String parseProblem(Resource resource) {
        if (read(resource) == null) {
            return null;
        }
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
