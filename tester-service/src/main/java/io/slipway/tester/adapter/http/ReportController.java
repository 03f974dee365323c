package io.slipway.tester.adapter.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.slipway.tester.adapter.files.FileReportStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@code GET /reports/{runId}/{attempt}}: the JUnit XML report of a run attempt, as {@code TestsPassed.reportLocation}
 * and the excerpt of {@code BuildFailed} name it; 404 when the tester has none.
 */
@Controller("/reports")
public class ReportController {

    private final FileReportStore reports;

    ReportController(FileReportStore reports) {
        this.reports = reports;
    }

    @Get(uri = "/{runId}/{attempt}", produces = MediaType.APPLICATION_XML)
    HttpResponse<byte[]> report(@PathVariable String runId, @PathVariable int attempt) {
        return reports.find(runId, attempt).map(file -> {
            try {
                return HttpResponse.ok(Files.readAllBytes(file)).contentType(MediaType.APPLICATION_XML_TYPE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElseGet(HttpResponse::notFound);
    }
}
