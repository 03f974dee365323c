package io.slipway.dashboard.web;

/**
 * The frame of every page: head (the service's own stylesheet and script, nothing from elsewhere), the navigation, and
 * the body the page rendered. {@code title} is escaped here; {@code body} must already be safe HTML.
 */
public final class Layout {

    /** The navigation entries: path and label. */
    private static final String[][] NAVIGATION = {
            {"/runs", "Runs"}, {"/environments", "Environments"}, {"/metrics", "Delivery metrics"}};

    private Layout() {
    }

    /** A whole page; {@code active} is the path of the navigation entry to mark (or null). */
    public static String page(String title, String active, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] entry : NAVIGATION) {
            nav.append("<a href=\"").append(entry[0]).append('"')
                    .append(entry[0].equals(active) ? " aria-current=\"page\"" : "")
                    .append('>').append(entry[1]).append("</a>");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.text(title) + " · Slipway</title>"
                + "<link rel=\"stylesheet\" href=\"/static/dashboard.css\">"
                + "<script src=\"/static/dashboard.js\" defer></script></head>"
                + "<body><header><strong>Slipway</strong><nav>" + nav + "</nav></header>"
                + "<main>" + body + "</main></body></html>";
    }
}
