package io.slipway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services' {@code slipway.hop} timers (producer timestamp → the stage taking the record, recorded by the
 * common record pipeline) as their {@code /prometheus} endpoints expose them: cumulative bucket counts per topic,
 * summed over every instance scraped. Two scrapes subtracted give the histogram of one benchmark phase.
 */
final class HopHistograms {

    private static final Pattern BUCKET = Pattern.compile("^slipway_hop_seconds_bucket\\{(.*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, NavigableMap<Double, Double>> byTopic;

    private HopHistograms(Map<String, NavigableMap<Double, Double>> byTopic) {
        this.byTopic = byTopic;
    }

    /**
     * Scrapes every endpoint ({@code http://host:port/prometheus}), sending the services' management token (the
     * endpoints answer 401 without it).
     */
    static HopHistograms scrape(HttpClient http, List<URI> endpoints, String managementToken)
            throws IOException, InterruptedException {
        Map<String, NavigableMap<Double, Double>> byTopic = new TreeMap<>();
        for (URI endpoint : endpoints) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + managementToken).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException(endpoint + " answered " + answer.statusCode());
            }
            parse(answer.body(), byTopic);
        }
        return new HopHistograms(byTopic);
    }

    static HopHistograms parse(String exposition) {
        Map<String, NavigableMap<Double, Double>> byTopic = new TreeMap<>();
        parse(exposition, byTopic);
        return new HopHistograms(byTopic);
    }

    private static void parse(String exposition, Map<String, NavigableMap<Double, Double>> byTopic) {
        for (String line : exposition.split("\n")) {
            Matcher bucket = BUCKET.matcher(line);
            if (!bucket.find()) {
                continue;
            }
            String topic = null;
            Double le = null;
            Matcher label = LABEL.matcher(bucket.group(1));
            while (label.find()) {
                if (label.group(1).equals("topic")) {
                    topic = label.group(2);
                } else if (label.group(1).equals("le")) {
                    le = label.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(label.group(2));
                }
            }
            if (topic != null && le != null) {
                byTopic.computeIfAbsent(topic, t -> new TreeMap<>())
                        .merge(le, Double.parseDouble(bucket.group(2)), Double::sum);
            }
        }
    }

    /** This scrape minus an earlier one: the observations made in between. */
    HopHistograms since(HopHistograms earlier) {
        Map<String, NavigableMap<Double, Double>> delta = new TreeMap<>();
        byTopic.forEach((topic, buckets) -> {
            NavigableMap<Double, Double> before = earlier.byTopic.getOrDefault(topic, new TreeMap<>());
            NavigableMap<Double, Double> d = new TreeMap<>();
            buckets.forEach((le, count) -> d.put(le, count - before.getOrDefault(le, 0.0)));
            delta.put(topic, d);
        });
        return new HopHistograms(delta);
    }

    /** Observations of {@code topic}. */
    long count(String topic) {
        NavigableMap<Double, Double> buckets = byTopic.get(topic);
        return buckets == null || buckets.isEmpty() ? 0 : Math.round(buckets.lastEntry().getValue());
    }

    /** The {@code q}-quantile of {@code topic}'s hops in milliseconds; NaN without observations. */
    double quantileMillis(String topic, double q) {
        NavigableMap<Double, Double> buckets = byTopic.get(topic);
        return buckets == null ? Double.NaN : Percentiles.ofHistogram(buckets, q) * 1000;
    }
}
