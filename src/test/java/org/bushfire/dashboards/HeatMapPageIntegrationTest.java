package org.bushfire.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.HttpHost;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.heatmap.HeatMapServer;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.TestCluster;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.bushfire.testing.TestIndices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local heat map page in a real browser: the real alerting job writes the reference fire (with a
 * position per sensor) through its Elasticsearch sinks into the real local node; the page's server serves
 * it; headless Chromium loads it. Then we read what was drawn — the DOM (cells, sensors, the chain path) and
 * the pixels of a screenshot — and check the fire is where and how hot it should be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeatMapPageIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.ELASTICSEARCH);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    ElasticsearchSettings settings;
    RestClient es;
    HeatMapServer server;
    HeadlessChromium chromium;
    String dom;
    Path screenshot;

    @BeforeAll
    void fireInElasticsearchAndThePageInABrowser() throws Exception {
        chromium = HeadlessChromium.find(dir);
        String run = "heatmap-" + UUID.randomUUID().toString().substring(0, 8);
        String endpoint = LocalServices.Service.ELASTICSEARCH.endpoint().toString();
        settings = ElasticsearchSettings.defaults().withHosts(List.of(endpoint))
                .withReadingsIndex(run + "-readings").withAlertsIndex(run + "-alerts").resolve(Map.of());
        es = RestClient.builder(HttpHost.create(endpoint)).build();

        IndexTemplates.install(settings);
        runTheJob(referenceWithPositions());
        es.performRequest(new Request("POST", "/" + settings.readingsIndex() + "," + settings.alertsIndex() + "/_refresh"));

        server = HeatMapServer.start(settings, 0, AlertingConfig.defaults().threshold(), 30, 5000);
        long start = System.nanoTime();
        dom = chromium.dumpDom(server.url(), 8000);
        screenshot = chromium.screenshot(server.url(), 8000);
        System.out.printf("HeatMapPageIntegrationTest: two headless Chromium runs took %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        // kept for people (and CI artifacts) to look at
        Files.copy(screenshot, Files.createDirectories(Path.of("target")).resolve("heatmap-page.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (es == null) {
            return; // skipped (no Chromium) before anything was made
        }
        try {
            if (server != null) {
                server.close();
            }
            TestIndices.deleteJobIndices(es, settings);
        } finally {
            es.close();
        }
    }

    /** Node n of the reference scenario at (−33.70 − n/100, 150.30 + n/100). */
    private Path referenceWithPositions() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            ObjectNode reading = (ObjectNode) JSON.readTree(line);
            int node = reading.get("node").asInt();
            reading.put("lat", new BigDecimal("-33.70").subtract(BigDecimal.valueOf(node, 2)));
            reading.put("lon", new BigDecimal("150.30").add(BigDecimal.valueOf(node, 2)));
            lines.add(reading.toString());
        }
        return Files.write(dir.resolve("readings.jsonl"), lines, StandardCharsets.UTF_8);
    }

    /** The production graph: readings and alerts through the job's own Elasticsearch sinks. */
    private void runTheJob(Path input) throws Exception {
        AlertingConfig config = AlertingConfig.defaults();
        AlertingSinks sinks = AlertingSinks.alertsTo(ElasticsearchSinks.alerts(settings))
                .rawReadingsTo(ElasticsearchSinks.rawReadings(settings, config.threshold()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        new AlertingJob(config, new JsonLinesReadingsSource(input), sinks).build(env);
        env.execute("heat map page fixture");
    }

    // ---------------------------------------------------------------- what the browser drew

    /** Attributes of every element {@code <tag class="cls" ...>} in the dumped DOM. */
    private List<Map<String, String>> elements(String tag, String cls) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher element = Pattern.compile("<" + tag + "\\s([^>]*)>").matcher(dom);
        while (element.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(element.group(1));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            if (cls.equals(attributes.get("class"))) {
                found.add(attributes);
            }
        }
        return found;
    }

    private Map<String, String> cell(String node, String time) {
        return elements("rect", "cell").stream()
                .filter(c -> node.equals(c.get("data-node")) && time.equals(c.get("data-time")))
                .findFirst().orElseThrow(() -> new AssertionError("no cell for node " + node + " at " + time + " in\n" + dom));
    }

    private static int[] rgb(String fill) {
        Matcher m = Pattern.compile("rgb\\((\\d+), ?(\\d+), ?(\\d+)\\)").matcher(fill);
        assertThat(m.matches()).as("fill " + fill).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    private static boolean hotColoured(int[] c) {
        return c[0] >= 100 && c[1] <= 60 && c[2] <= 60;
    }

    @Test
    void thePageLoadedAndSearchedTheFire() {
        assertThat(dom).contains("data-state=\"ready\"");
        assertThat(dom).contains("Newest reading 2024-11-21T00:04:00.000Z");
    }

    @Test
    void aHotCellIsHotColouredAndAColdOneIsNot() {
        Map<String, String> hot = cell("1", "2024-11-21T00:04:00.000Z");   // node 1, batch 5: 58 °C
        assertThat(hot.get("data-max")).isEqualTo("58");
        assertThat(hot.get("data-hot")).isEqualTo("true");
        assertThat(hotColoured(rgb(hot.get("fill")))).as("fill " + hot.get("fill")).isTrue();

        Map<String, String> onset = cell("5", "2024-11-21T00:04:00.000Z"); // node 5's onset: 51 °C, just over T
        assertThat(hotColoured(rgb(onset.get("fill")))).as("fill " + onset.get("fill")).isTrue();

        Map<String, String> cold = cell("11", "2024-11-21T00:00:00.000Z"); // node 11 never burns: 19 °C
        assertThat(cold.get("data-hot")).isEqualTo("false");
        int[] c = rgb(cold.get("fill"));
        assertThat(hotColoured(c)).as("fill " + cold.get("fill")).isFalse();
        assertThat(c[2]).as("cold is blue").isGreaterThan(c[0]);

        // every cell of the 11 nodes × 5 minutes of the scenario is drawn, hot exactly from T
        List<Map<String, String>> cells = elements("rect", "cell");
        assertThat(cells).hasSize(55);
        for (Map<String, String> each : cells) {
            boolean hotReading = Double.parseDouble(each.get("data-max")) >= 50.0;
            assertThat(hotColoured(rgb(each.get("fill")))).as(each.toString()).isEqualTo(hotReading);
        }
    }

    @Test
    void theSensorsAreOnTheMapAndTheAlertChainIsAPathThroughThem() {
        List<Map<String, String>> sensors = elements("circle", "sensor");
        assertThat(sensors).hasSize(11);
        List<Map<String, String>> chains = elements("path", "chain");
        assertThat(chains).hasSize(1);
        Map<String, String> chain = chains.get(0);
        assertThat(chain.get("data-chain")).isEqualTo("1,2,3,4,5");
        assertThat(chain.get("data-network")).isEqualTo("default");
        // the path visits the five sensors in infection order
        Matcher point = Pattern.compile("[ML]([\\d.]+) ([\\d.]+)").matcher(chain.get("d"));
        List<String> nodes = List.of("1", "2", "3", "4", "5");
        int i = 0;
        while (point.find()) {
            String node = nodes.get(i++);
            Map<String, String> sensor = sensors.stream().filter(s -> node.equals(s.get("data-node"))).findFirst().orElseThrow();
            assertThat(Double.parseDouble(point.group(1))).isCloseTo(Double.parseDouble(sensor.get("cx")), org.assertj.core.data.Offset.offset(0.2));
            assertThat(Double.parseDouble(point.group(2))).isCloseTo(Double.parseDouble(sensor.get("cy")), org.assertj.core.data.Offset.offset(0.2));
        }
        assertThat(i).isEqualTo(5);
        // node 1 is still hot at its latest reading; node 11 never was
        assertThat(sensors.stream().filter(s -> s.get("data-node").equals("1")).findFirst().orElseThrow().get("data-hot")).isEqualTo("true");
        assertThat(sensors.stream().filter(s -> s.get("data-node").equals("11")).findFirst().orElseThrow().get("data-hot")).isEqualTo("false");
    }

    @Test
    void theScreenshotShowsTheHotCellRedTheColdCellBlueAndTheChainDrawn() throws Exception {
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("screenshot " + screenshot).isNotNull();

        int[] hot = pixel(image, cell("1", "2024-11-21T00:04:00.000Z"));
        assertThat(hotColoured(hot)).as("hot cell pixel %s", java.util.Arrays.toString(hot)).isTrue();
        int[] cold = pixel(image, cell("11", "2024-11-21T00:00:00.000Z"));
        assertThat(hotColoured(cold)).as("cold cell pixel %s", java.util.Arrays.toString(cold)).isFalse();
        assertThat(cold[2]).isGreaterThan(cold[0]);

        // halfway between sensors 1 and 2 there is nothing but the chain's dark stroke
        Map<String, String> one = sensor("1");
        Map<String, String> two = sensor("2");
        int x = (Integer.parseInt(one.get("data-page-x")) + Integer.parseInt(two.get("data-page-x"))) / 2;
        int y = (Integer.parseInt(one.get("data-page-y")) + Integer.parseInt(two.get("data-page-y"))) / 2;
        int[] stroke = rgb(image, x, y);
        assertThat(stroke[0] + stroke[1] + stroke[2]).as("chain stroke pixel %s", java.util.Arrays.toString(stroke))
                .isLessThan(3 * 110);
        // and the map's background beside it is light: the dark pixel is the path, not the map
        int[] beside = rgb(image, x + 20, y - 20);
        assertThat(beside[0] + beside[1] + beside[2]).isGreaterThan(3 * 200);
    }

    private Map<String, String> sensor(String node) {
        return elements("circle", "sensor").stream().filter(s -> node.equals(s.get("data-node"))).findFirst().orElseThrow();
    }

    private static int[] pixel(BufferedImage image, Map<String, String> element) {
        return rgb(image, Integer.parseInt(element.get("data-page-x")), Integer.parseInt(element.get("data-page-y")));
    }

    private static int[] rgb(BufferedImage image, int x, int y) {
        assertThat(x).isBetween(0, image.getWidth() - 1);
        assertThat(y).isBetween(0, image.getHeight() - 1);
        int argb = image.getRGB(x, y);
        return new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
    }

    // ---------------------------------------------------------------- the server alone

    @Test
    void theServerOnlyLetsThePageSearchItsTwoIndices() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(server.url() + "config.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode c = JSON.readTree(config.body());
        assertThat(c.get("threshold").asDouble()).isEqualTo(50.0);
        assertThat(c.get("readingsIndex").asText()).isEqualTo(settings.readingsIndex());

        HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create(server.url() + "es/readings/_search"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":0,\"track_total_hits\":true}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(count.body()).at("/hits/total/value").asInt()).isEqualTo(55);

        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "es/_cat/indices")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "es/readings/_search")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "es/readings/_delete_by_query"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

}
