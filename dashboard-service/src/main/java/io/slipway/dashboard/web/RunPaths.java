package io.slipway.dashboard.web;

import java.util.regex.Pattern;

/** The run id and attempt of a page's path, checked before anything is looked up. */
final class RunPaths {

    /** Run ids are UUIDs; anything of this charset and length is looked up, the rest is refused. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_ATTEMPT = 100_000;

    private RunPaths() {
    }

    static String runId(String value) {
        if (value == null || !RUN_ID.matcher(value).matches()) {
            throw new BadRequest("a run id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    static int attempt(String value) {
        try {
            int attempt = Integer.parseInt(value);
            if (attempt >= 1 && attempt <= MAX_ATTEMPT) {
                return attempt;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequest("an attempt is a number from 1 to " + MAX_ATTEMPT);
    }

    /** The run page of an attempt. */
    static String page(String runId, int attempt) {
        return "/runs/" + runId + "/" + attempt;
    }
}
