package com.activityfeed.feed.web;

import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The web client's files: ETag + no-cache (a deploy is seen at once), gzip, 304, favicon; the page with its script and stylesheet inline. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class AppRoutesTest {
    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .decoderConfig(DecoderConfig.decoderConfig().noContentDecoders());

    @Test
    void everyFileIsRevalidatedCompressedAndAnswers304WhenUnchanged() {
        for (String path : new String[]{"/app/", "/app/js/main.js", "/app/app.css", "/app/favicon.svg"}) {
            Response first = given().config(RAW).header("Accept-Encoding", "gzip").redirects().follow(false)
                    .when().get(path);
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            assertThat(first.header("Cache-Control")).as(path).isEqualTo("no-cache");
            if (!path.endsWith(".svg")) {
                // the favicon is smaller than its gzip: sent as it is
                assertThat(first.header("Content-Encoding")).as(path).isEqualTo("gzip");
            }
            assertThat(first.header("Vary")).as(path).isEqualTo("Accept-Encoding");
            String etag = first.header("ETag");
            assertThat(etag).as(path).matches("\"[0-9a-f]{24}\"");
            given().header("If-None-Match", etag).when().get(path).then().statusCode(304);
            given().header("If-None-Match", "\"something-else\"").when().get(path).then().statusCode(200);
        }
        given().when().get("/app/").then().contentType(containsString("text/html"))
                .body(containsString("favicon.svg"));
        given().when().get("/app/js/main.js").then().contentType(containsString("text/javascript"));
        // without Accept-Encoding: the plain bytes
        Response plain = given().config(RAW).header("Accept-Encoding", "identity").when().get("/app/app.css");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.asString()).contains(":root");
    }

    @Test
    void thePageCarriesTheFirstScreensScriptAndStylesheetAndLaterModulesUseItsInstances() {
        String page = given().when().get("/app/").then().statusCode(200).extract().asString();
        // nothing to fetch before the first tiles but the feed's first page: no script or stylesheet file
        assertThat(page).contains("<script type=\"module\">").contains("class FeedView").contains("function start()")
                .contains("<style>").contains(":root").doesNotContain("modulepreload").doesNotContain(" src=\"js/")
                .doesNotContain("href=\"app.css\"");
        // chat and stats, loaded when opened, share the page's modules
        given().when().get("/app/js/chat.js").then().statusCode(200).header("Cache-Control", "no-cache")
                .body(containsString("const { api, query } = globalThis.afpClient;"), not(containsString("from './api.js'")));
        // the separate modules and the stylesheet are still there under their own names
        given().when().get("/app/js/feed.js").then().statusCode(200).body(containsString("export class FeedView"));
        given().when().get("/app/app.css").then().statusCode(200).body(containsString(":root"));
    }

    @Test
    void unknownFilesAndOtherMethodsFallThrough() {
        given().when().get("/app/js/nothing-here.js").then().statusCode(404);
        given().when().get("/app/../application.properties").then().statusCode(404);
        given().redirects().follow(false).when().get("/app").then().statusCode(301).header("Location", "/app/");
    }
}
