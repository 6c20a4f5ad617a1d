package org.bushfire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bushfire.deploy.DeployScripts.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two scripts that run on the cluster's nodes: the bootstrap action (with a fake {@code aws}) and
 * job-control.sh (with fake {@code flink} and {@code yarn}), installing into a temporary node home.
 */
class NodeScriptsTest {
    static final String JAR_URI = "s3://example-bushfire-artifacts/bushfire/jars/bushfire-alerting-0.1.0-0123456789ab.jar";
    static final String SCRIPTS_URI = "s3://example-bushfire-artifacts/bushfire/emr-bootstrap";
    static final String SECRET = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bushfire/es-AbCdEf";
    static final String APP = "application_1732147200000_0001";

    @TempDir
    Path temp;

    DeployScripts scripts;
    Path home;

    @BeforeEach
    void fakes() {
        scripts = new DeployScripts(temp);
        home = scripts.nodeHome;
    }

    /** The SHA-256 of what the fake aws writes for an object: "fake object URI\n". */
    static String fakeObjectSha(String uri) throws Exception {
        byte[] body = ("fake object " + uri + "\n").getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private Result bootstrap(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--jar", JAR_URI, "--sha256", fakeObjectSha(JAR_URI),
                "--scripts", SCRIPTS_URI));
        args.addAll(List.of(extra));
        return scripts.run("bootstrap-action.sh", args.toArray(String[]::new));
    }

    @Test
    void dryRunPrintsTheFetchesAndChangesNothing() throws Exception {
        Result dry = bootstrap("--es-credentials-secret", SECRET, "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(scripts.recordedAwsCalls()).isEmpty();
        assertThat(home).doesNotExist();
        assertThat(dry.printedAwsCalls()).containsExactly(
                "aws s3 cp --only-show-errors " + JAR_URI + " " + home + "/jars/bushfire-alerting-0.1.0-0123456789ab.jar.part",
                "aws s3 cp --only-show-errors " + SCRIPTS_URI + "/job-control.sh " + home + "/bin/job-control.sh.part",
                "aws secretsmanager get-secret-value --secret-id " + SECRET + " --query SecretString --output text > "
                        + home + "/conf/es-credentials.part");
    }

    @Test
    void installsTheJarTheScriptsAndThePrivateCredentialsFileAndIsIdempotent() throws Exception {
        Result first = bootstrap("--es-credentials-secret", SECRET);
        assertThat(first.exitCode()).as(first.toString()).isZero();

        Path jar = home.resolve("jars/bushfire-alerting-0.1.0-0123456789ab.jar");
        assertThat(jar).hasContent("fake object " + JAR_URI);
        assertThat(home.resolve("bin/job-control.sh")).isExecutable();
        assertThat(home.resolve("bin/bootstrap-action.sh")).isExecutable().hasSameTextualContentAs(DeployScripts.DIR.resolve("bootstrap-action.sh"));
        Path credentials = home.resolve("conf/es-credentials");
        assertThat(credentials).content().contains("username=bushfire-job");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(home.resolve("log/bootstrap.log")).content().contains("fetching " + JAR_URI).contains("done:");
        try (var parts = Files.walk(home)) {
            assertThat(parts.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
        long jarFetches = scripts.recordedAwsCalls().stream().filter(c -> c.contains(JAR_URI)).count();
        assertThat(jarFetches).isEqualTo(1);

        // again, as the submit/upgrade fetch step does with the installed copy: the intact jar is kept
        scripts.forgetCalls();
        Result again = bootstrap("--es-credentials-secret", SECRET);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(scripts.recordedAwsCalls()).noneMatch(c -> c.contains(JAR_URI));
        assertThat(again.stdout()).contains("already present and intact: kept");
        assertThat(jar).hasContent("fake object " + JAR_URI);
    }

    @Test
    void aJarWhoseChecksumDiffersIsRefusedAndNotInstalled() {
        Result result = scripts.run("bootstrap-action.sh", "--jar", JAR_URI, "--sha256", "0".repeat(64), "--scripts", SCRIPTS_URI);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("has SHA-256").contains("expected " + "0".repeat(64));
        assertThat(home.resolve("jars")).isEmptyDirectory();
    }

    // ---------------------------------------------------------------- job-control.sh

    private Result jobControl(Map<String, String> env, String... args) {
        return scripts.run(env, "job-control.sh", args);
    }

    @Test
    void startRunsTheJarOnYarnInApplicationModeWithTheJobsOwnArguments() {
        Result result = jobControl(Map.of(), "start", "--jar", "/home/hadoop/bushfire/jars/x.jar", "--app-name", "bushfire-alerting",
                "--dry-run", "--", "run", "--stream", "sensor-readings", "--region", "ap-southeast-2");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(scripts.recordedToolCalls()).isEmpty();
        assertThat(result.stdout()).contains("+ flink run-application -t yarn-application -Dyarn.application.name=bushfire-alerting"
                + " /home/hadoop/bushfire/jars/x.jar run --stream sensor-readings --region ap-southeast-2");

        Path jar = scripts.jar("x.jar", "jar");
        Result real = jobControl(Map.of(), "start", "--jar", jar.toString(), "--ship-file", "/home/hadoop/bushfire/conf/es-credentials",
                "--", "run", "--stream", "sensor-readings");
        assertThat(real.exitCode()).as(real.toString()).isZero();
        assertThat(scripts.recordedToolCalls()).last().isEqualTo("flink run-application -t yarn-application"
                + " -Dyarn.application.name=bushfire-alerting -Dyarn.ship-files=/home/hadoop/bushfire/conf/es-credentials "
                + jar + " run --stream sensor-readings");
    }

    @Test
    void startRefusesASecondCopyOfARunningJob() {
        Path jar = scripts.jar("x.jar", "jar");
        Result result = jobControl(Map.of("FAKE_YARN_APPS", APP + "\tbushfire-alerting"), "start", "--jar", jar.toString(),
                "--", "run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("already running (" + APP + ")");
        assertThat(scripts.recordedToolCalls()).noneMatch(c -> c.startsWith("flink"));
    }

    @Test
    void stopTakesASavepointAndTheNextStartResumesFromIt() throws Exception {
        Path apps = Files.writeString(temp.resolve("yarn-apps"), "application_1_0001\tsomething-else\n" + APP + "\tbushfire-alerting\n");
        Result stop = jobControl(Map.of("FAKE_YARN_APPS_FILE", apps.toString()),
                "stop", "--savepoint-dir", "s3://example-bushfire-state/bushfire/savepoints");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(scripts.recordedToolCalls()).contains("flink stop --savepointPath s3://example-bushfire-state/bushfire/savepoints"
                + " -t yarn-application -Dyarn.application.id=" + APP + " 8d3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a");
        String savepoint = "s3://example-bushfire-state/bushfire/savepoints/savepoint-8d3f2c-0123456789ab";
        assertThat(stop.stdout()).contains("savepoint: " + savepoint);
        assertThat(home.resolve("state/bushfire-alerting.last-savepoint")).hasContent(savepoint);
        assertThat(stop.stdout()).doesNotContain("warning");

        Path jar = scripts.jar("y.jar", "jar");
        Result start = jobControl(Map.of(), "start", "--jar", jar.toString(), "--from-last-savepoint", "--", "run");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(scripts.recordedToolCalls()).last().isEqualTo("flink run-application -t yarn-application"
                + " -Dyarn.application.name=bushfire-alerting --fromSavepoint " + savepoint + " " + jar + " run");

        // The indexing job's application has a savepoint record of its own: none yet.
        Result index = jobControl(Map.of(), "start", "--jar", jar.toString(), "--app-name", "bushfire-indexing",
                "--from-last-savepoint", "--", "index");
        assertThat(index.exitCode()).isEqualTo(2);
        assertThat(index.stderr()).contains("no savepoint recorded in").contains("bushfire-indexing.last-savepoint");
    }

    @Test
    void stopWarnsWhenTheApplicationOutlivesItsJob() {
        Result stop = jobControl(Map.of("FAKE_YARN_APPS", APP + "\tbushfire-alerting", "BUSHFIRE_STOP_WAIT_SECONDS", "2"),
                "stop", "--savepoint-dir", "s3://b/savepoints");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.stdout()).contains("warning: YARN application " + APP + " still listed 2 s after the stop");
    }

    @Test
    void stopWithoutARunningJobFailsAndStatusSaysSo() {
        Result stop = jobControl(Map.of(), "stop", "--savepoint-dir", "s3://b/savepoints");
        assertThat(stop.exitCode()).isEqualTo(2);
        assertThat(stop.stderr()).contains("no running YARN application named 'bushfire-alerting'");

        Result status = jobControl(Map.of(), "status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.stdout()).contains("bushfire-alerting: not running");

        Result up = jobControl(Map.of("FAKE_YARN_APPS", APP + "\tbushfire-alerting"), "status");
        assertThat(up.exitCode()).isZero();
        assertThat(up.stdout()).contains("YARN application " + APP).contains("bushfire-alerting (RUNNING)");
    }
}
