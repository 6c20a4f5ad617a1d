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
import java.time.Duration;
import java.time.Instant;
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
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;
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
 * The local heat map page in a real browser: the real alerting job, wired as the indexing job wires it (each
 * incident's latest state and the raw readings through its Elasticsearch sinks), writes three fires into the
 * real local node; the page's server serves them; headless Chromium loads it. Then we read what was drawn — the
 * DOM (cells, sensors, chain paths, burnt areas, heading arrows, the list) and the pixels of a screenshot — and
 * check each fire is where and how it should be:
 * <ul>
 *   <li>the reference fire (with a position per sensor), the heat map's subject: 11 sensors, chain 1 → 5;</li>
 *   <li>two {@link GridFire}s the evening before, whose area, heading and speed are known from how they were
 *       made: one burnt out (all clear), one still burning (its last update).</li>
 * </ul>
 * One job run and one pair of browser runs serve every test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeatMapPageIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.ELASTICSEARCH);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    static final String REFERENCE_NETWORK = "default";
    static final ObjectMapper JSON = new ObjectMapper();
    static final AlertingConfig CONFIG = AlertingConfig.defaults();
    /**
     * Sensors 1.2 km apart (0.0108° of latitude, 0.013° of longitude at 33.7° S), 5 × 4 of them: a 4.8 km ×
     * 3.6 km rectangle, about 42 px a grid step on the map, so sensors, their labels and the fill between them
     * stand apart. Hops of one step take 9 to 21 minutes: within W. The speeds leave the job's spread fit (the
     * onsets of the last 30 minutes) four or more positions off one line, minutes clear of the window's edge.
     */
    static final double LAT_STEP = 0.0108;
    static final double LON_STEP = 0.013;
    static final Instant IGNITION = Instant.parse("2024-11-20T20:30:00Z");
    /**
     * North-east of the reference fire's diagonal, sensors 21…40: a front toward 60° (ENE) at 50 m/min; each
     * sensor burns 30 minutes. Its last onset is about two hours in, so an hour later (before the reference
     * fire's readings carry the watermark on) the fire is out: the all clear, after which nothing changes.
     */
    static final GridFire BURNT_OUT = new GridFire("ridge", 21, -33.745, 150.365, LAT_STEP, LON_STEP, 5, 4, 60.0, 50.0,
            IGNITION, Duration.ofMinutes(30), CONFIG.hopWindow());
    /**
     * South-west of the diagonal, sensors 41…60: a front toward 330° (NNW) at 65 m/min; its sensors are still
     * hot when the input ends, so its last message is an update. Every reading of both fires is older than the
     * heat map's window, which shows the reference fire alone.
     */
    static final GridFire BURNING = new GridFire("valley", 41, -33.815, 150.31, LAT_STEP, LON_STEP, 5, 4, 330.0, 65.0,
            IGNITION, null, CONFIG.hopWindow());
    /** The heading's estimate from exact, second-rounded onsets on a plane front: well within this. */
    static final double HEADING_TOLERANCE_DEGREES = 2.0;
    /** The page's projection and the job's both approximate the sphere; over 4 km they differ by far less. */
    static final double AREA_TOLERANCE = 0.01;

    @TempDir
    static Path dir;

    ElasticsearchSettings settings;
    RestClient es;
    HeatMapServer server;
    HeadlessChromium chromium;
    String dom;
    Path screenshot;
    /** Lines of the readings file, each a valid reading with its own id. */
    int readingsWritten;

    @BeforeAll
    void fireInElasticsearchAndThePageInABrowser() throws Exception {
        chromium = HeadlessChromium.find(dir);
        String run = "heatmap-" + UUID.randomUUID().toString().substring(0, 8);
        String endpoint = LocalServices.Service.ELASTICSEARCH.endpoint().toString();
        settings = ElasticsearchSettings.defaults().withHosts(List.of(endpoint))
                .withReadingsIndex(run + "-readings").withAlertsIndex(run + "-alerts").resolve(Map.of());
        es = RestClient.builder(HttpHost.create(endpoint)).build();

        IndexTemplates.install(settings);
        long job = System.nanoTime();
        runTheJob(readings());
        System.out.printf("HeatMapPageIntegrationTest: the job run took %d ms%n", (System.nanoTime() - job) / 1_000_000);
        es.performRequest(new Request("POST", "/" + settings.readingsIndex() + "," + settings.alertsIndex() + "/_refresh"));

        server = HeatMapServer.start(settings, 0, CONFIG.threshold(), 30, 5000);
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

    /** The grid fires of the evening before, then the reference fire: one file in event-time order. */
    private Path readings() throws IOException {
        List<String> lines = new ArrayList<>();
        List<Reading> evening = new ArrayList<>(BURNT_OUT.readings());
        evening.addAll(BURNING.readings());
        evening.sort(java.util.Comparator.comparingLong(r -> r.eventTimestamp));
        for (Reading r : evening) {
            lines.add(ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS));
        }
        lines.addAll(referenceWithPositions());
        readingsWritten = lines.size();
        return Files.write(dir.resolve("readings.jsonl"), lines, StandardCharsets.UTF_8);
    }

    /** Node n of the reference scenario at (−33.70 − n/100, 150.30 + n/100). */
    private List<String> referenceWithPositions() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            ObjectNode reading = (ObjectNode) JSON.readTree(line);
            int node = reading.get("node").asInt();
            reading.put("lat", new BigDecimal("-33.70").subtract(BigDecimal.valueOf(node, 2)));
            reading.put("lon", new BigDecimal("150.30").add(BigDecimal.valueOf(node, 2)));
            lines.add(reading.toString());
        }
        return lines;
    }

    /** The production graph as the indexing job wires it: incidents and raw readings to Elasticsearch. */
    private void runTheJob(Path input) throws Exception {
        AlertingSinks sinks = AlertingSinks.incidentsTo(ElasticsearchSinks.incidents(settings))
                .rawReadingsTo(ElasticsearchSinks.rawReadings(settings, CONFIG.threshold()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        new AlertingJob(CONFIG, new JsonLinesReadingsSource(input), sinks).build(env);
        env.execute("heat map page fixture");
    }

    // ---------------------------------------------------------------- what the browser drew

    /** Attributes of every element {@code <tag class="cls" ...>} in the dumped DOM. */
    private List<Map<String, String>> elements(String tag, String cls) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher element = Pattern.compile("<" + tag + "\\s([^>]*)>").matcher(dom);
        while (element.find()) {
            Map<String, String> attributes = attributes(element.group(1));
            if (cls.equals(attributes.get("class"))) {
                found.add(attributes);
            }
        }
        return found;
    }

    /** The elements drawn for one network. */
    private List<Map<String, String>> elements(String tag, String cls, String network) {
        return elements(tag, cls).stream().filter(e -> network.equals(e.get("data-network"))).toList();
    }

    /** The {@code name="value"} pairs of a start tag. */
    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(tag);
        while (a.find()) {
            attributes.put(a.group(1), a.group(2));
        }
        return attributes;
    }

    private Map<String, String> cell(String node, String time) {
        return elements("rect", "cell", REFERENCE_NETWORK).stream()
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
        List<Map<String, String>> cells = elements("rect", "cell", REFERENCE_NETWORK);
        assertThat(cells).hasSize(55);
        for (Map<String, String> each : cells) {
            boolean hotReading = Double.parseDouble(each.get("data-max")) >= 50.0;
            assertThat(hotColoured(rgb(each.get("fill")))).as(each.toString()).isEqualTo(hotReading);
        }
    }

    @Test
    void theSensorsAreOnTheMapAndTheAlertChainIsAPathThroughThem() {
        List<Map<String, String>> sensors = elements("circle", "sensor", REFERENCE_NETWORK);
        assertThat(sensors).hasSize(11);
        List<Map<String, String>> chains = elements("path", "chain", REFERENCE_NETWORK);
        assertThat(chains).hasSize(1);
        Map<String, String> chain = chains.get(0);
        assertThat(chain.get("data-chain")).isEqualTo("1,2,3,4,5");
        assertThat(chain.get("data-network")).isEqualTo(REFERENCE_NETWORK);
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
        return elements("circle", "sensor", REFERENCE_NETWORK).stream().filter(s -> node.equals(s.get("data-node")))
                .findFirst().orElseThrow();
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

    // ---------------------------------------------------------------- each fire's incident

    /** The list line of a network's fire: its attributes and its text. */
    private record ListLine(String alertId, String stage, String text) {}

    private ListLine listLine(String network) {
        Matcher item = Pattern.compile("<li ([^>]*)>([^<]*)</li>").matcher(dom);
        List<ListLine> found = new ArrayList<>();
        while (item.find()) {
            Map<String, String> attributes = attributes(item.group(1));
            if (item.group(2).startsWith("network " + network + ": ")) {
                found.add(new ListLine(attributes.get("data-alert-id"), attributes.get("data-stage"), item.group(2)));
            }
        }
        assertThat(found).as("list lines of network %s in\n%s", network, dom).hasSize(1);
        return found.get(0);
    }

    /** The one element of {@code tag.cls} drawn for an alert. */
    private Map<String, String> drawnFor(String tag, String cls, String alertId) {
        List<Map<String, String>> found = elements(tag, cls).stream().filter(e -> alertId.equals(e.get("data-alert-id")))
                .toList();
        assertThat(found).as("%s.%s of %s", tag, cls, alertId).hasSize(1);
        return found.get(0);
    }

    private Map<String, String> sensor(GridFire fire, GridFire.Sensor s) {
        return elements("circle", "sensor", fire.network).stream().filter(c -> s.node().equals(c.get("data-node")))
                .findFirst().orElseThrow(() -> new AssertionError("no sensor " + s.node() + " of " + fire.network));
    }

    /** Where a grid sensor was drawn: {x, y} in the map's coordinates, or on the page ({@code page}). */
    private double[] drawn(GridFire fire, int column, int row, boolean page) {
        Map<String, String> c = sensor(fire, fire.at(column, row));
        return page ? new double[] {Double.parseDouble(c.get("data-page-x")), Double.parseDouble(c.get("data-page-y"))}
                : new double[] {Double.parseDouble(c.get("cx")), Double.parseDouble(c.get("cy"))};
    }

    private List<double[]> corners(GridFire fire) {
        int e = fire.columns - 1;
        int n = fire.rows - 1;
        return List.of(drawn(fire, 0, 0, false), drawn(fire, e, 0, false), drawn(fire, e, n, false),
                drawn(fire, 0, n, false));
    }

    /** The burnt-out fire's last message is its all clear; the burning one's an update. */
    private static String expectedStage(GridFire fire) {
        return fire.burnTime != null ? "ALL_CLEAR" : "UPDATE";
    }

    /** The smallest angle between two headings, degrees. */
    private static double angleBetween(double a, double b) {
        double d = Math.abs(((a - b) % 360 + 360) % 360);
        return Math.min(d, 360 - d);
    }

    /** The number before {@code unit} in a list line. */
    private static double numberBefore(String text, String unit) {
        Matcher m = Pattern.compile("([\\d.]+) ?" + Pattern.quote(unit)).matcher(text);
        assertThat(m.find()).as("'%s' in: %s", unit, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void eachGridFiresBurntAreaIsTheGridsRectangleMarkedWithItsStage() {
        for (GridFire fire : List.of(BURNT_OUT, BURNING)) {
            String stage = expectedStage(fire);
            ListLine line = listLine(fire.network);
            assertThat(line.stage()).as(fire.network).isEqualTo(stage);
            Map<String, String> area = drawnFor("polygon", "burnt-area", line.alertId());
            assertThat(area.get("data-stage")).as(fire.network).isEqualTo(stage);
            assertThat(Double.parseDouble(area.get("data-area-km2"))).as(fire.network)
                    .isCloseTo(fire.areaKm2(), org.assertj.core.data.Percentage.withPercentage(100 * AREA_TOLERANCE));

            // every sensor burnt, so the hull is the grid's four corners, drawn where their sensors are
            List<double[]> points = new ArrayList<>();
            for (String pair : area.get("points").trim().split("\\s+")) {
                String[] xy = pair.split(",");
                points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
            assertThat(points).as(fire.network + " hull " + area.get("points")).hasSize(4);
            for (double[] corner : corners(fire)) {
                assertThat(points).as("%s: a hull corner at the sensor drawn at %s", fire.network,
                        java.util.Arrays.toString(corner))
                        .anyMatch(p -> Math.abs(p[0] - corner[0]) <= 0.6 && Math.abs(p[1] - corner[1]) <= 0.6);
            }
        }
        // the reference fire's sensors lie on one line: no burnt area for it
        assertThat(elements("polygon", "burnt-area")).hasSize(2);
    }

    @Test
    void eachGridFiresHeadingArrowLeavesItsCentreTheWayItsFrontMoved() {
        for (GridFire fire : List.of(BURNT_OUT, BURNING)) {
            String stage = expectedStage(fire);
            Map<String, String> arrow = drawnFor("line", "heading", listLine(fire.network).alertId());
            assertThat(arrow.get("data-stage")).isEqualTo(stage);
            assertThat(angleBetween(Double.parseDouble(arrow.get("data-heading")), fire.headingDegrees))
                    .as("%s: data-heading %s, the front moved toward %s°", fire.network, arrow.get("data-heading"),
                            fire.headingDegrees)
                    .isLessThanOrEqualTo(HEADING_TOLERANCE_DEGREES);

            // as drawn: screen x grows east, screen y grows south, so north is up
            double x1 = Double.parseDouble(arrow.get("x1"));
            double y1 = Double.parseDouble(arrow.get("y1"));
            double dx = Double.parseDouble(arrow.get("x2")) - x1;
            double dy = Double.parseDouble(arrow.get("y2")) - y1;
            double drawnHeading = (Math.toDegrees(Math.atan2(dx, -dy)) + 360) % 360;
            assertThat(angleBetween(drawnHeading, fire.headingDegrees))
                    .as("%s: the arrow drawn toward %.1f°, the front moved toward %s°", fire.network, drawnHeading,
                            fire.headingDegrees)
                    .isLessThanOrEqualTo(HEADING_TOLERANCE_DEGREES);
            assertThat(Math.hypot(dx, dy)).isGreaterThan(20);

            // from the centroid: every sensor burnt, so the middle of the grid's corners
            double cx = corners(fire).stream().mapToDouble(p -> p[0]).average().orElseThrow();
            double cy = corners(fire).stream().mapToDouble(p -> p[1]).average().orElseThrow();
            assertThat(x1).as(fire.network).isCloseTo(cx, org.assertj.core.data.Offset.offset(0.6));
            assertThat(y1).as(fire.network).isCloseTo(cy, org.assertj.core.data.Offset.offset(0.6));
        }
    }

    @Test
    void eachFiresListLineTellsItsStageSensorsAreaAndSpread() {
        ListLine out = listLine(BURNT_OUT.network);
        int sensors = BURNT_OUT.columns * BURNT_OUT.rows;
        // no onset for --quiet-after after the last one, every sensor cold by then: out at that instant
        String allClearAt = Instant.ofEpochMilli(BURNT_OUT.lastOnsetTimestamp() + CONFIG.quietAfter().toMillis()).toString();
        assertThat(out.text()).contains("· all clear #", " at " + allClearAt + ": ", sensors + " sensors burnt, ",
                ", last heading ENE (");
        ListLine burning = listLine(BURNING.network);
        assertThat(burning.text()).contains("· update #", sensors + " sensors burning, ", ", heading NNW (");
        for (GridFire fire : List.of(BURNT_OUT, BURNING)) {
            String text = listLine(fire.network).text();
            assertThat(numberBefore(text, "km²")).as(text)
                    .isCloseTo(fire.areaKm2(), org.assertj.core.data.Percentage.withPercentage(100 * AREA_TOLERANCE));
            assertThat(angleBetween(numberBefore(text, "°)"), fire.headingDegrees)).as(text)
                    .isLessThanOrEqualTo(HEADING_TOLERANCE_DEGREES);
            assertThat(numberBefore(text, "m/min")).as(text)
                    .isCloseTo(fire.metresPerMinute, org.assertj.core.data.Offset.offset(1.0));
            assertThat(text).startsWith("network " + fire.network + ": " + fire.root().node() + " → ");
        }
        // the reference fire: its alert, five sensors burning (node 1 still hot), on one line so no area
        ListLine reference = listLine(REFERENCE_NETWORK);
        assertThat(reference.stage()).isEqualTo("ALERT");
        assertThat(reference.text()).contains("· alert #1 at ", ": 5 sensors burning").doesNotContain("km²");
    }

    @Test
    void theScreenshotShowsEachBurntAreaFilledInItsStagesColourWithItsArrow() throws Exception {
        BufferedImage image = ImageIO.read(screenshot.toFile());
        for (GridFire fire : List.of(BURNT_OUT, BURNING)) {
            boolean out = expectedStage(fire).equals("ALL_CLEAR");
            // inside: the middle of a corner cell of the grid, clear of sensors, labels, chain and arrow
            int c = out ? 0 : fire.columns - 2;
            double[] a = drawn(fire, c, 0, true);
            double[] b = drawn(fire, c + 1, 1, true);
            int[] inside = rgb(image, (int) Math.round((a[0] + b[0]) / 2), (int) Math.round((a[1] + b[1]) / 2));
            // outside: as far beyond the grid's west (burnt out) or east (burning) edge
            double half = (b[0] - a[0]) / 2;
            double[] edge = out ? a : b;
            int[] beyond = rgb(image, (int) Math.round(edge[0] + (out ? -half : half)),
                    (int) Math.round((a[1] + b[1]) / 2));
            String seen = fire.network + ": inside " + java.util.Arrays.toString(inside) + ", outside "
                    + java.util.Arrays.toString(beyond);
            assertThat(spread(beyond)).as("the map's plain background outside; " + seen).isLessThan(12);
            assertThat(beyond[0] + beyond[1] + beyond[2]).as(seen).isGreaterThan(3 * 230);
            if (out) {
                assertThat(inside[1] - inside[0]).as("green fill of the fire that is out; " + seen).isGreaterThan(8);
                assertThat(inside[1] - inside[2]).as(seen).isGreaterThan(8);
            } else {
                assertThat(inside[0] - inside[2]).as("orange fill of the burning fire; " + seen).isGreaterThan(25);
                assertThat(inside[0] - inside[1]).as(seen).isGreaterThan(15);
            }

            // the arrow's stroke, 10 px along it from the centroid, in the same colour at full strength
            Map<String, String> arrow = drawnFor("line", "heading", listLine(fire.network).alertId());
            Map<String, String> any = sensor(fire, fire.at(0, 0));
            double offsetX = Double.parseDouble(any.get("data-page-x")) - Double.parseDouble(any.get("cx"));
            double offsetY = Double.parseDouble(any.get("data-page-y")) - Double.parseDouble(any.get("cy"));
            double h = Math.toRadians(Double.parseDouble(arrow.get("data-heading")));
            int[] stroke = rgb(image, (int) Math.round(Double.parseDouble(arrow.get("x1")) + offsetX + 10 * Math.sin(h)),
                    (int) Math.round(Double.parseDouble(arrow.get("y1")) + offsetY - 10 * Math.cos(h)));
            String arrowSeen = fire.network + ": arrow pixel " + java.util.Arrays.toString(stroke);
            if (out) {
                assertThat(stroke[1] - stroke[0]).as(arrowSeen).isGreaterThan(40);
                assertThat(stroke[1] - stroke[2]).as(arrowSeen).isGreaterThan(40);
            } else {
                assertThat(stroke[0] - stroke[2]).as(arrowSeen).isGreaterThan(120);
                assertThat(stroke[0] - stroke[1]).as(arrowSeen).isGreaterThan(80);
            }
        }
    }

    /** How far a colour is from grey: its largest channel minus its smallest. */
    private static int spread(int[] c) {
        return Math.max(c[0], Math.max(c[1], c[2])) - Math.min(c[0], Math.min(c[1], c[2]));
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
        assertThat(JSON.readTree(count.body()).at("/hits/total/value").asInt()).isEqualTo(readingsWritten);

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
