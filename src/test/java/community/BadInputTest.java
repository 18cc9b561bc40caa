package community;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import community.testing.RunningService;
import community.testing.Upstreams;
import community.testing.RunningService.Answer;

/** Every class of bad input gets the documented 4xx with a JSON error, and nothing is stored or sent. */
class BadInputTest {

    static final WireMockServer upstreams = new WireMockServer(options().dynamicPort());
    static RunningService service;

    @BeforeAll
    static void start() {
        upstreams.start();
        Map<String, String> settings = Upstreams.settings(upstreams, "xoxs-bad-input-token", "ac-bad-input-key");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstreams.stop();
    }

    @AfterEach
    void nothing_was_stored_or_sent() {
        upstreams.verify(0, anyRequestedFor(anyUrl()));
        assertThat(service.memberCount()).isZero();
        assertThat(service.executionItemCount()).isZero();
    }

    static JsonNode rejected(Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        JsonNode error = answer.json();
        assertThat(error.path("error").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }

    static DynamicTest field(String name, String json, String field, String why) {
        return DynamicTest.dynamicTest(name, () -> {
            JsonNode error = rejected(service.postJson("/signup", json), 400);
            assertThat(error.path("fields").path(field).asText()).isEqualTo(why);
        });
    }

    static DynamicTest form(String name, String form, String field, String why) {
        return DynamicTest.dynamicTest(name, () -> {
            JsonNode error = rejected(service.postForm("/signup", form, "*/*"), 400);
            assertThat(error.path("fields").path(field).asText()).isEqualTo(why);
        });
    }

    @Nested
    class Json {

        @TestFactory
        Stream<DynamicTest> that_is_not_a_json_object_is_a_400() {
            return Stream.of("{bad", "", "[1,2]", "\"santa@example.org\"", "42", "null", "{\"email\":",
                    "{\"email\":\"a@b.co\"} trailing")
                    .map(body -> DynamicTest.dynamicTest("body: " + body, () -> rejected(
                            service.postJson("/signup", body), 400)));
        }

        @Test
        void duplicate_keys_are_a_400() {
            rejected(service.postJson("/signup", "{\"email\":\"a@b.co\",\"email\":\"c@d.co\"}"), 400);
        }

        @Test
        void deeply_nested_json_is_a_400() {
            String deep = "[".repeat(2000) + "]".repeat(2000);
            rejected(service.postJson("/signup", "{\"email\":\"a@b.co\",\"x\":" + deep + "}"), 400);
        }

        @Test
        void invalid_utf8_is_a_400() {
            byte[] body = { '{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' };
            rejected(service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))),
                    400);
        }
    }

    @Nested
    class Fields {

        @TestFactory
        Stream<DynamicTest> a_missing_or_implausible_email_is_a_400_naming_the_field() {
            return Stream.of(
                    field("missing", "{\"first_name\":\"No\",\"last_name\":\"Mail\"}", "email", "is required"),
                    field("blank", "{\"email\":\"   \"}", "email", "is required"),
                    field("no @", "{\"email\":\"santa.example.org\"}", "email", "must contain exactly one @"),
                    field("two @", "{\"email\":\"santa@claus@example.org\"}", "email", "must contain exactly one @"),
                    field("no local part", "{\"email\":\"@example.org\"}", "email",
                            "must have 1 to 64 characters before the @"),
                    field("undotted domain", "{\"email\":\"santa@localhost\"}", "email",
                            "must have a domain with a dot, like example.org"),
                    field("empty label", "{\"email\":\"santa@example..org\"}", "email",
                            "must have a valid domain, like example.org"),
                    field("one-letter tld", "{\"email\":\"santa@example.o\"}", "email",
                            "must have a valid domain, like example.org"),
                    field("a hash in the domain", "{\"email\":\"santa@example.org#1\"}", "email",
                            "must have a valid domain, like example.org"),
                    field("a slash in the domain", "{\"email\":\"santa@example.org/x\"}", "email",
                            "must have a valid domain, like example.org"),
                    field("an underscore in the domain", "{\"email\":\"santa@ex_ample.org\"}", "email",
                            "must have a valid domain, like example.org"),
                    field("space inside", "{\"email\":\"san ta@example.org\"}", "email",
                            "must not contain spaces, control characters or any of <>()[]\\,;:\""),
                    field("angle brackets", "{\"email\":\"<santa@example.org>\"}", "email",
                            "must not contain spaces, control characters or any of <>()[]\\,;:\""),
                    field("overlong", "{\"email\":\"" + "a".repeat(60) + "@" + "b".repeat(190) + ".org\"}", "email",
                            "must be at most 254 characters"));
        }

        @TestFactory
        Stream<DynamicTest> an_overlong_or_control_character_name_is_a_400_naming_the_field() {
            return Stream.of(
                    field("overlong first name", "{\"email\":\"a@b.co\",\"first_name\":\"" + "x".repeat(101) + "\"}",
                            "first_name", "must be at most 100 characters"),
                    field("overlong last name", "{\"email\":\"a@b.co\",\"last_name\":\"" + "y".repeat(101) + "\"}",
                            "last_name", "must be at most 100 characters"),
                    field("bell in a name", "{\"email\":\"a@b.co\",\"first_name\":\"San\\u0007ta\"}", "first_name",
                            "must not contain control characters"),
                    field("newline in a name", "{\"email\":\"a@b.co\",\"last_name\":\"Cl\\naus\"}", "last_name",
                            "must not contain control characters"),
                    field("right-to-left override", "{\"email\":\"a@b.co\",\"last_name\":\"\\u202Esualc\"}",
                            "last_name", INVISIBLE));
        }

        @TestFactory
        Stream<DynamicTest> a_problem_in_a_name_sent_as_one_field_names_that_field() {
            return Stream.of(
                    oneName("newline in the first word", "San\\nta Claus", "must not contain control characters"),
                    oneName("bell after the first space", "Santa Cl\\u0007aus", "must not contain control characters"),
                    oneName("overlong first word", "x".repeat(101) + " Claus",
                            "must have at most 100 characters before its first space, and as many after it"),
                    oneName("overlong after the space", "Santa " + "y".repeat(101),
                            "must have at most 100 characters before its first space, and as many after it"),
                    oneName("right-to-left override", "Santa \\u202Esualc", INVISIBLE));
        }

        /** The client sent {@code name}: the answer names it, not first_name or last_name, which it never sent. */
        DynamicTest oneName(String test, String name, String why) {
            return DynamicTest.dynamicTest(test, () -> {
                JsonNode error = rejected(service.postJson("/signup",
                        "{\"email\":\"a@b.co\",\"name\":\"" + name + "\"}"), 400);
                assertThat(error.path("fields").properties()).singleElement()
                        .satisfies(f -> assertThat(f.getKey()).isEqualTo("name"))
                        .satisfies(f -> assertThat(f.getValue().asText()).isEqualTo(why));
            });
        }

        static final String INVISIBLE =
                "must not contain invisible characters (such as zero-width spaces or direction marks)";

        @TestFactory
        Stream<DynamicTest> an_invisible_character_in_a_name_or_an_email_is_a_400_naming_the_field() {
            return Stream.of(
                    field("zero-width space in a name", "{\"email\":\"a@b.co\",\"first_name\":\"Ad\\u200Bmin\"}",
                            "first_name", INVISIBLE),
                    field("zero-width joiner in a name", "{\"email\":\"a@b.co\",\"first_name\":\"a\\u200Db\"}",
                            "first_name", INVISIBLE),
                    field("byte-order mark in a name", "{\"email\":\"a@b.co\",\"last_name\":\"\\uFEFFClaus\"}",
                            "last_name", INVISIBLE),
                    field("soft hyphen in a name", "{\"email\":\"a@b.co\",\"last_name\":\"Cl\\u00ADaus\"}",
                            "last_name", INVISIBLE),
                    field("Hangul filler as a name", "{\"email\":\"a@b.co\",\"first_name\":\"\\u3164\"}",
                            "first_name", INVISIBLE),
                    field("right-to-left override in an e-mail", "{\"email\":\"gro.elpmaxe\\u202E@b.co\"}",
                            "email", INVISIBLE),
                    field("zero-width space in an e-mail", "{\"email\":\"sa\\u200Bnta@example.org\"}", "email",
                            INVISIBLE),
                    field("left-to-right mark in an e-mail's domain", "{\"email\":\"santa@exa\\u200Emple.org\"}",
                            "email", INVISIBLE));
        }

        static final String BROKEN = "must not contain broken characters (half of a UTF-16 pair, or U+FFFD, which "
                + "stands for bytes that were not UTF-8)";

        @TestFactory
        Stream<DynamicTest> a_broken_character_in_a_name_or_an_email_is_a_400_naming_the_field() {
            // each was stored as "?" or as U+FFFD: an address other than the one checked, a garbled name
            return Stream.of(
                    field("half a UTF-16 pair in an e-mail", "{\"email\":\"a\\uD800@example.org\"}", "email", BROKEN),
                    field("the other half alone in an e-mail", "{\"email\":\"a\\uDC00b@example.org\"}", "email",
                            BROKEN),
                    field("half a UTF-16 pair in a name", "{\"email\":\"a@b.co\",\"first_name\":\"A\\uD800B\"}",
                            "first_name", BROKEN),
                    form("bytes that are not UTF-8 in a form's name", "email=a%40b.co&first_name=C&last_name=Jos%E9",
                            "last_name", BROKEN),
                    form("an encoded surrogate in a form's e-mail", "email=a%ED%A0%80%40b.co", "email", BROKEN));
        }

        @TestFactory
        Stream<DynamicTest> a_field_of_the_wrong_type_is_a_400_naming_it() {
            return Stream.of(
                    field("number e-mail", "{\"email\":5}", "email", "must be a string"),
                    field("array first name", "{\"email\":\"a@b.co\",\"first_name\":[\"A\"]}", "first_name",
                            "must be a string"),
                    field("object last name", "{\"email\":\"a@b.co\",\"last_name\":{\"x\":1}}", "last_name",
                            "must be a string"),
                    field("boolean name", "{\"email\":\"a@b.co\",\"name\":true}", "name", "must be a string"),
                    field("wrapped, wrong type", "{\"body\":{\"email\":[]}}", "email", "must be a string"));
        }

        @Test
        void a_filled_honeypot_is_answered_like_a_success_with_nothing_stored_or_sent() {
            Answer json = service.postJson("/signup",
                    "{\"email\":\"bot@example.org\",\"name\":\"B Ot\",\"website\":\"http://spam.example\"}");
            assertThat(json.status()).isEqualTo(202);
            String statusUrl = json.json().path("statusUrl").asText();
            assertThat(statusUrl).matches("/signup/[0-9a-f-]{36}");
            assertThat(json.header("Location")).isEqualTo(statusUrl);
            assertThat(json.header("X-Content-Type-Options")).isEqualTo("nosniff");
            JsonNode document = service.get(statusUrl).json();
            assertThat(document.path("status").asText()).isEqualTo("RUNNING");
            assertThat(document.path("input").path("email").asText()).isEqualTo("bot@example.org");
            assertThat(document.path("results").size()).isPositive();

            // a browser's form post is sent to the status page, as a real one is
            Answer form = service.postForm("/signup", "email=bot2%40example.org&name=B+Ot&website=x",
                    "text/html,*/*");
            assertThat(form.status()).isEqualTo(303);
            Answer page = service.send(HttpRequest.newBuilder(service.uri(form.header("Location")))
                    .header("Accept", "text/html"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("bot2@example.org").contains("RUNNING");
        }

        @Test
        void an_invalid_sign_up_with_the_honeypot_filled_is_refused_as_anyones_is() {
            JsonNode error = rejected(service.postJson("/signup", "{\"email\":\"bot\",\"website\":\"x\"}"), 400);
            assertThat(error.path("fields").path("email").asText()).isEqualTo("must contain exactly one @");
        }

        @Test
        void a_post_from_another_sites_page_is_a_403() {
            for (String[] header : new String[][] { { "Origin", "https://elsewhere.example" },
                    { "Origin", "null" }, { "Sec-Fetch-Site", "cross-site" },
                    { "Sec-Fetch-Site", "same-site" } }) {
                Answer answer = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                        .header(header[0], header[1])
                        .POST(HttpRequest.BodyPublishers.ofString("email=victim%40example.org&name=Vic+Tim")));
                // a browser's form post: the refusal in words, as a page
                assertThat(answer.status()).as(header[0] + ": " + header[1]).isEqualTo(403);
                assertThat(answer.header("Content-Type")).startsWith("text/html");
                assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
                assertThat(answer.body()).contains("We could not take your sign-up: sign-ups from another site&#39;s "
                        + "page are not accepted here.");
                // anything else (a script's JSON, a client asking for JSON) gets DESIGN.md's JSON error
                Answer json = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                        .header("Content-Type", "application/json").header(header[0], header[1])
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"victim@example.org\"}")));
                assertThat(rejected(json, 403).path("error").asText())
                        .isEqualTo("sign-ups from another site's page are not accepted here");
            }
        }

        @Test
        void a_form_with_an_invalid_email_is_a_400_too() {
            JsonNode error = rejected(service.postForm("/signup", "email=not-an-address&name=A+B", "*/*"), 400);
            assertThat(error.path("fields").path("email").asText()).isEqualTo("must contain exactly one @");
        }

        @Test
        void a_form_giving_the_email_twice_is_a_400() {
            JsonNode error = rejected(service.postForm("/signup", "email=a%40b.co&email=c%40d.co", "*/*"), 400);
            assertThat(error.path("fields").path("email").asText()).isEqualTo("is given twice");
        }

        @Test
        void json_giving_a_field_twice_is_a_400_naming_it_as_a_form_s_is() {
            // valid JSON (names should be unique, not must), so "not valid JSON" sent its writer to a validator
            JsonNode error = rejected(service.postJson("/signup",
                    "{\"email\":\"a@b.co\",\"email\":\"c@d.co\",\"name\":\"A B\"}"), 400);
            assertThat(error.path("fields").path("email").asText()).isEqualTo("is given twice");
            JsonNode wrapped = rejected(service.postJson("/signup",
                    "{\"body\":{\"email\":\"a@b.co\",\"first_name\":\"A\",\"first_name\":\"B\"}}"), 400);
            assertThat(wrapped.path("fields").path("first_name").asText()).isEqualTo("is given twice");
        }
    }

    @Nested
    class Hostile {

        static DynamicTest json(String name, String body, int status) {
            return DynamicTest.dynamicTest(name, () -> rejected(service.postJson("/signup", body), status));
        }

        static DynamicTest raw(String name, String contentType, byte[] body, int status) {
            return DynamicTest.dynamicTest(name, () -> rejected(service.send(HttpRequest.newBuilder(
                    service.uri("/signup")).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))), status));
        }

        @TestFactory
        Stream<DynamicTest> hostile_requests_get_a_4xx_and_nothing_happens() {
            return Stream.of(
                    json("nul in the e-mail", "{\"email\":\"a\\u0000b@c.co\"}", 400),
                    json("CRLF header injection in a name",
                            "{\"email\":\"a@b.co\",\"first_name\":\"x\\r\\nSet-Cookie: a=b\"}", 400),
                    json("tab in the e-mail", "{\"email\":\"a\\t@b.co\"}", 400),
                    json("line separator in a name", "{\"email\":\"a@b.co\",\"last_name\":\"a\\u2028b\"}", 400),
                    json("left-to-right isolate in a name",
                            "{\"email\":\"a@b.co\",\"first_name\":\"\\u2066x\"}", 400),
                    json("e-mail of 300 characters", "{\"email\":\"" + "a".repeat(290) + "@b.co\"}", 400),
                    json("local part of 65 characters", "{\"email\":\"" + "a".repeat(65) + "@example.org\"}", 400),
                    json("domain label over 63", "{\"email\":\"a@" + "b".repeat(64) + ".org\"}", 400),
                    json("domain starting with a hyphen", "{\"email\":\"a@-b.org\"}", 400),
                    json("trailing dot in the local part", "{\"email\":\"a.@b.org\"}", 400),
                    json("quoted local part", "{\"email\":\"\\\"a b\\\"@b.org\"}", 400),
                    json("e-mail as an object", "{\"email\":{\"$ne\":null}}", 400),
                    json("e-mail as an array", "{\"email\":[\"a@b.co\"]}", 400),
                    json("prototype pollution key", "{\"__proto__\":{\"email\":\"a@b.co\"}}", 400),
                    json("1000 keys without an e-mail", "{" + java.util.stream.IntStream.range(0, 1000)
                            .mapToObj(i -> "\"k" + i + "\":1").collect(java.util.stream.Collectors.joining(",")) + "}",
                            400),
                    json("deep body wrapper", "{\"body\":{\"body\":{\"body\":{\"email\":\"a@b.co\"}}}}", 400),
                    json("body wrapper that is not JSON", "{\"body\":\"email=a@b.co\"}", 400),
                    json("JSON with a comment", "{/* x */\"email\":\"a@b.co\"}", 400),
                    json("single-quoted JSON", "{'email':'a@b.co'}", 400),
                    json("NaN value", "{\"email\":\"a@b.co\",\"x\":NaN}", 400),
                    json("unterminated string", "{\"email\":\"a@b.co}", 400),
                    raw("UTF-16 JSON declared as such", "application/json; charset=utf-16",
                            "{\"email\":\"a@b.co\"}".getBytes(StandardCharsets.UTF_16), 415),
                    raw("UTF-16 bytes declared as UTF-8", "application/json; charset=utf-8",
                            "{\"email\":\"a@b.co\"}".getBytes(StandardCharsets.UTF_16), 400),
                    raw("overlong UTF-8 encoding of a slash", "application/json",
                            new byte[] { '{', '"', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' }, 400),
                    raw("text/json", "text/json", "{\"email\":\"a@b.co\"}".getBytes(StandardCharsets.UTF_8), 415),
                    raw("form declared as latin-1", "application/x-www-form-urlencoded; charset=iso-8859-1",
                            "email=a%40b.co".getBytes(StandardCharsets.UTF_8), 415),
                    raw("form with a bad percent escape", "application/x-www-form-urlencoded",
                            "email=a%4@b.co".getBytes(StandardCharsets.UTF_8), 400),
                    raw("empty form", "application/x-www-form-urlencoded", new byte[0], 400),
                    raw("form with a name but no e-mail", "application/x-www-form-urlencoded",
                            "name=Only+Name".getBytes(StandardCharsets.UTF_8), 400));
        }
    }

    @Nested
    class Http {

        @Test
        void a_body_over_16_kib_is_a_413() {
            String big = "{\"email\":\"a@b.co\",\"pad\":\"" + "x".repeat(17_000) + "\"}";
            rejected(service.postJson("/signup", big), 413);
        }

        @Test
        void a_chunked_body_over_16_kib_is_a_413() {
            byte[] big = ("{\"email\":\"a@b.co\",\"pad\":\"" + "x".repeat(40_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            rejected(service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))), 413);
        }

        @TestFactory
        Stream<DynamicTest> another_content_type_is_a_415() {
            return Stream.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                    "application/json; charset=iso-8859-1")
                    .map(type -> DynamicTest.dynamicTest(type, () -> rejected(service.send(
                            HttpRequest.newBuilder(service.uri("/signup")).header("Content-Type", type)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.co\"}"))), 415)));
        }

        @Test
        void no_content_type_is_a_415() {
            rejected(service.send(HttpRequest.newBuilder(service.uri("/signup"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.co\"}"))), 415);
        }

        @TestFactory
        Stream<DynamicTest> another_method_is_a_405_that_says_which_one_to_use() {
            return Stream.of("GET", "PUT", "DELETE", "PATCH").map(method -> DynamicTest.dynamicTest(method, () -> {
                Answer answer = service.send(HttpRequest.newBuilder(service.uri("/signup"))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.co\"}")));
                rejected(answer, 405);
                assertThat(answer.header("Allow")).isEqualTo("POST");
            }));
        }

        @TestFactory
        Stream<DynamicTest> an_unknown_or_malformed_execution_id_is_a_404() {
            return Stream.of("/signup/5f0c1a2b-0000-4000-8000-000000000000", "/signup/not-a-uuid",
                    "/signup/..%2F..%2Fetc%2Fpasswd", "/signup/%00", "/signup/5F0C1A2B-0000-4000-8000-000000000000")
                    .map(path -> DynamicTest.dynamicTest(path, () -> rejected(service.get(path), 404)));
        }

        @Test
        void a_status_page_does_not_take_posts() {
            Answer answer = service.postJson("/signup/5f0c1a2b-0000-4000-8000-000000000000", "{}");
            rejected(answer, 405);
            assertThat(answer.header("Allow")).isEqualTo("GET");
        }

        @Test
        void an_unknown_path_is_a_json_404() {
            rejected(service.get("/nowhere"), 404);
            rejected(service.get("/observe/nowhere"), 404);
        }

        @Test
        void the_health_check_and_metrics_say_405_to_another_method_and_406_to_an_accept_they_cannot_answer() {
            for (String path : new String[] {"/observe/health", "/observe/metrics"}) {
                Answer post = service.postJson(path, "{}");
                assertThat(rejected(post, 405).path("error").asText()).isEqualTo("POST is not allowed here; use GET");
                assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
            }
            Answer html = service.send(HttpRequest.newBuilder(service.uri("/observe/health")).header("Accept", "text/html"));
            assertThat(rejected(html, 406).path("error").asText()).isEqualTo(
                    "the request's Accept header rules out what /observe/health answers; send none, or one with */*");
        }
    }
}
