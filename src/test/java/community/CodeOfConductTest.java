package community;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import community.testing.RunningService;
import community.testing.RunningService.Answer;

/** With SIGNUP_COC_URL set, the server itself requires the code of conduct's acceptance, not only the page. */
class CodeOfConductTest {

    static RunningService service;

    @BeforeAll
    static void start() {
        Map<String, String> settings = RunningService.quickSettings();
        settings.put("signup.coc-url", "https://community.example/conduct");
        service = RunningService.start(settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void a_sign_up_that_does_not_accept_the_code_of_conduct_is_a_400_naming_it_and_nothing_is_stored() {
        for (String body : new String[] { "{\"email\":\"rude@example.org\"}",
                "{\"email\":\"rude@example.org\",\"coc\":false}", "{\"email\":\"rude@example.org\",\"coc\":\"no\"}" }) {
            Answer answer = service.postJson("/signup", body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().path("fields").path("coc").asText())
                    .isEqualTo("the code of conduct must be accepted");
        }
        Answer page = service.postForm("/signup", "email=rude%40example.org&name=Ru+De", "text/html");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("<li>Code of conduct: the code of conduct must be accepted</li>");
        assertThat(service.executionItemCount()).isZero();
        assertThat(service.memberCount()).isZero();
    }

    @Test
    void a_sign_up_with_other_problems_too_is_told_all_of_them_at_once() {
        Answer answer = service.postJson("/signup", "{\"email\":\"rude\",\"name\":\"Ru\\u0007De\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("fields").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("email", "name", "coc");
        assertThat(answer.json().path("fields").path("coc").asText()).isEqualTo("the code of conduct must be accepted");
        assertThat(service.executionItemCount()).isZero();
    }

    @Test
    void a_sign_up_that_accepts_it_goes_through() {
        assertThat(service.postJson("/signup", "{\"email\":\"kind@example.org\",\"coc\":true}").status())
                .isEqualTo(202);
        Answer form = service.postForm("/signup", "email=polite%40example.org&name=Po+Lite&coc=true", "text/html");
        assertThat(form.status()).isEqualTo(303);
        assertThat(form.header("Location")).matches("/signup/[0-9a-f-]{36}");
    }
}
