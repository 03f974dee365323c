package io.slipway.dashboard.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;

/** The pages' answers to a refused request (400 with what was wrong) and to a path that names nothing (404). */
@Controller
public class ErrorPages {

    @Error(exception = BadRequest.class, global = true)
    HttpResponse<String> badRequest(HttpRequest<?> request, BadRequest refused) {
        return page(HttpStatus.BAD_REQUEST, "Bad request", refused.getMessage());
    }

    @Error(exception = NotFound.class, global = true)
    HttpResponse<String> unknown(HttpRequest<?> request, NotFound missing) {
        return page(HttpStatus.NOT_FOUND, missing.title(), missing.getMessage());
    }

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    HttpResponse<String> notFound(HttpRequest<?> request) {
        return page(HttpStatus.NOT_FOUND, "Not found", "Nothing is known at this address.");
    }

    /** A whole page saying {@code message} (escaped) with {@code status}. */
    static HttpResponse<String> page(HttpStatus status, String title, String message) {
        String body = "<h1>" + Html.text(title) + "</h1><p class=\"problem\">" + Html.text(message) + "</p>"
                + "<p><a href=\"/runs\">All runs</a></p>";
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .body(Layout.page(title, null, body));
    }
}
