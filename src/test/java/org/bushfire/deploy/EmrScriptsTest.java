package org.bushfire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bushfire.deploy.DeployScripts.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator scripts of deploy/emr-bootstrap in --dry-run, and for real against a fake {@code aws} that
 * records its calls: a dry run calls nothing and prints every call, and a real run makes exactly the calls
 * the dry run printed.
 */
class EmrScriptsTest {
    @TempDir
    Path temp;

    DeployScripts scripts;
    Path jar;

    @BeforeEach
    void fakes() {
        scripts = new DeployScripts(temp);
        jar = scripts.jar("bushfire-alerting-0.1.0.jar", "not really a jar, but hashed and uploaded like one\n");
    }

    @Test
    void everyScriptExplainsItselfAndOffersADryRun() {
        for (String script : DeployScripts.SCRIPTS) {
            Result help = scripts.run(script, "--help");
            assertThat(help.exitCode()).as(script + " --help: " + help).isZero();
            assertThat(help.stdout()).as(script).startsWith("Usage: ").contains("--dry-run");
        }
        assertThat(scripts.recordedAwsCalls()).isEmpty();
    }

    @Test
    void createClusterPrintsTheWholeDeploymentAndCallsNothing() {
        Path work = scripts.workDir("create");
        Result dry = scripts.run("create-cluster.sh", "--config", scripts.settings().toString(), "--jar", jar.toString(),
                "--dry-run", "--work-dir", work.toString());

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(scripts.recordedAwsCalls()).as("a dry run never runs aws").isEmpty();
        String jarKey = "s3://example-bushfire-artifacts/bushfire/jars/bushfire-alerting-0.1.0-";
        assertThat(dry.printedAwsCalls()).hasSize(4);
        assertThat(dry.printedAwsCalls().get(0)).endsWith(
                "emr-bootstrap/bootstrap-action.sh s3://example-bushfire-artifacts/bushfire/emr-bootstrap/bootstrap-action.sh");
        assertThat(dry.printedAwsCalls().get(1)).endsWith("s3://example-bushfire-artifacts/bushfire/emr-bootstrap/job-control.sh");
        assertThat(dry.printedAwsCalls().get(2)).contains(jar.toString() + " " + jarKey).endsWith(".jar");
        assertThat(dry.printedAwsCalls().get(3)).isEqualTo("aws emr create-cluster --region ap-southeast-2"
                + " --name bushfire-alerting --release-label emr-7.13.0 --applications Name=Flink"
                + " --log-uri s3://example-bushfire-logs/emr/ --service-role EMR_DefaultRole_V2"
                + " --ec2-attributes file://" + work.resolve("ec2-attributes.json")
                + " --instance-groups file://" + work.resolve("instance-groups.json")
                + " --configurations file://" + work.resolve("configurations.json")
                + " --bootstrap-actions file://" + work.resolve("bootstrap-actions.json")
                + " --steps file://" + work.resolve("steps.json")
                + " --tags application=bushfire-alerting --query ClusterId --output text");
        // every file the calls read is printed too
        for (String file : List.of("configurations.json", "instance-groups.json", "ec2-attributes.json",
                "bootstrap-actions.json", "steps.json")) {
            assertThat(dry.stdout()).contains("--- " + work.resolve(file) + "\n");
        }

        JsonNode bootstrap = DeployScripts.json(work.resolve("bootstrap-actions.json")).get(0);
        assertThat(bootstrap.get("Path").asText()).isEqualTo("s3://example-bushfire-artifacts/bushfire/emr-bootstrap/bootstrap-action.sh");
        assertThat(bootstrap.get("Args").toString()).contains("\"--jar\",\"" + jarKey).contains("\"--sha256\"")
                .contains("\"--scripts\",\"s3://example-bushfire-artifacts/bushfire/emr-bootstrap\"");

        JsonNode groups = DeployScripts.json(work.resolve("instance-groups.json"));
        assertThat(groups.get(0).get("InstanceGroupType").asText()).isEqualTo("MASTER");
        assertThat(groups.get(1).get("InstanceGroupType").asText()).isEqualTo("CORE");
        assertThat(groups.get(1).get("InstanceCount").asInt()).isEqualTo(2);
        assertThat(DeployScripts.json(work.resolve("ec2-attributes.json")).get("InstanceProfile").asText())
                .isEqualTo("bushfire-emr-instance-profile");

        JsonNode steps = DeployScripts.json(work.resolve("steps.json"));
        assertThat(DeployScripts.startSteps(steps)).as("alerting and indexing, each its own application").hasSize(2);
        JsonNode start = DeployScripts.startStep(steps, "run");
        assertThat(start.get("Jar").asText()).isEqualTo("command-runner.jar");
        assertThat(start.get("Args").get(1).asText()).isEqualTo("/home/hadoop/bushfire/bin/job-control.sh");
        assertThat(start.get("Args").toString()).contains("\"--app-name\",\"bushfire-alerting\"");
        assertThat(DeployScripts.jobArgs(start)).startsWith("run", "--stream", "sensor-readings", "--region", "ap-southeast-2")
                .doesNotContain("--es-hosts");
        JsonNode index = DeployScripts.startStep(steps, "index");
        assertThat(index.get("Args").toString()).contains("\"--app-name\",\"bushfire-indexing\"");
        assertThat(DeployScripts.jobArgs(index)).startsWith("index", "--stream", "sensor-readings", "--region", "ap-southeast-2")
                .contains("--es-hosts").doesNotContain("--sns-topic-arn");
    }

    @Test
    void flinkIsConfiguredForRocksDbIncrementalCheckpointsToS3AndExponentialDelayRestarts() {
        Path work = scripts.workDir("conf");
        Result dry = scripts.run("create-cluster.sh", "--config", scripts.settings("CHECKPOINT_INTERVAL", "1m").toString(),
                "--jar", jar.toString(), "--dry-run", "--work-dir", work.toString());
        assertThat(dry.exitCode()).as(dry.toString()).isZero();

        JsonNode flink = classification(work, "flink-conf");
        assertThat(flink.get("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(flink.get("state.backend.incremental").asText()).isEqualTo("true");
        assertThat(flink.get("state.checkpoints.dir").asText()).isEqualTo("s3://example-bushfire-state/bushfire/checkpoints");
        assertThat(flink.get("state.savepoints.dir").asText()).isEqualTo("s3://example-bushfire-state/bushfire/savepoints");
        assertThat(flink.get("execution.checkpointing.interval").asText()).isEqualTo("1m");
        assertThat(flink.get("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(flink.get("execution.checkpointing.externalized-checkpoint-retention").asText())
                .isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(flink.get("restart-strategy.type").asText()).isEqualTo("exponential-delay");
        assertThat(flink.get("restart-strategy.exponential-delay.initial-backoff").asText()).isNotBlank();
        assertThat(flink.get("restart-strategy.exponential-delay.max-backoff").asText()).isNotBlank();
    }

    static Stream<Arguments> instanceTypes() {
        // type, core nodes, YARN MiB, TaskManager MiB (one of each job per node), slots, parallelism of each job
        return Stream.of(
                Arguments.of("m5.xlarge", 2, 12288, 4096, 2, 4),     // 16 GiB: 4 GiB left to the OS
                Arguments.of("m6g.2xlarge", 3, 24576, 10240, 4, 12), // 32 GiB: a quarter left to the OS
                Arguments.of("r5.2xlarge", 2, 49152, 22528, 4, 8),   // 64 GiB
                Arguments.of("c5.2xlarge", 4, 12288, 4096, 4, 16));  // 16 GiB, 8 vCPUs
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("instanceTypes")
    void taskManagerMemoryIsSizedFromTheCoreInstanceType(String type, int nodes, int yarn, int taskManager, int slots,
            int parallelism) {
        Path work = scripts.workDir(type);
        Result dry = scripts.run("create-cluster.sh", "--config",
                scripts.settings("CORE_INSTANCE_TYPE", type, "CORE_INSTANCE_COUNT", String.valueOf(nodes)).toString(),
                "--jar", jar.toString(), "--dry-run", "--work-dir", work.toString());
        assertThat(dry.exitCode()).as(dry.toString()).isZero();

        JsonNode flink = classification(work, "flink-conf");
        JsonNode yarnSite = classification(work, "yarn-site");
        assertThat(yarnSite.get("yarn.nodemanager.resource.memory-mb").asInt()).isEqualTo(yarn);
        assertThat(yarnSite.get("yarn.scheduler.maximum-allocation-mb").asInt()).isEqualTo(yarn);
        assertThat(flink.get("taskmanager.memory.process.size").asText()).isEqualTo(taskManager + "m");
        assertThat(flink.get("jobmanager.memory.process.size").asText()).isEqualTo("2048m");
        assertThat(flink.get("taskmanager.numberOfTaskSlots").asInt()).isEqualTo(slots);
        assertThat(flink.get("parallelism.default").asInt()).isEqualTo(parallelism);
        // the node that also hosts both JobManagers still fits a TaskManager of each job
        assertThat(2 * taskManager + 2 * 2048).isLessThanOrEqualTo(yarn);
        assertThat(dry.stdout()).contains("Memory plan for " + nodes + " x " + type)
                .contains("TaskManager process per node").contains("= " + taskManager + " MiB");
    }

    private static JsonNode classification(Path work, String name) {
        for (JsonNode c : DeployScripts.json(work.resolve("configurations.json"))) {
            if (c.get("Classification").asText().equals(name)) {
                return c.get("Properties");
            }
        }
        throw new AssertionError("no " + name + " classification");
    }

    /** Each operator command as a dry run and for real (same work folder, so the file:// paths agree). */
    static Stream<Arguments> operatorCommands() {
        Function<EmrScriptsTest, List<String>> create = t -> List.of("create-cluster.sh", "--jar", t.jar.toString());
        Function<EmrScriptsTest, List<String>> submit = t -> List.of("submit.sh", "--cluster-id", DeployScripts.CLUSTER,
                "--jar", t.jar.toString(), "--wait");
        Function<EmrScriptsTest, List<String>> submitFromSavepoint = t -> List.of("submit.sh", "--cluster-id",
                DeployScripts.CLUSTER, "--jar-uri", "s3://example-bushfire-artifacts/bushfire/jars/bushfire-alerting-0.1.0-0123456789ab.jar",
                "--sha256", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "--savepoint", "s3://example-bushfire-state/bushfire/savepoints/savepoint-8d3f2c-0123456789ab");
        Function<EmrScriptsTest, List<String>> stop = t -> List.of("stop.sh", "--cluster-id", DeployScripts.CLUSTER);
        Function<EmrScriptsTest, List<String>> upgrade = t -> List.of("upgrade.sh", "--cluster-id", DeployScripts.CLUSTER,
                "--jar", t.jar.toString());
        Function<EmrScriptsTest, List<String>> status = t -> List.of("status.sh", "--cluster-id", DeployScripts.CLUSTER, "--job");
        Function<EmrScriptsTest, List<String>> policy = t -> List.of("iam-policy.sh", "--apply");
        return Stream.of(Arguments.of("create-cluster", create, 4), Arguments.of("submit", submit, 4),
                Arguments.of("submit from a savepoint", submitFromSavepoint, 1), Arguments.of("stop", stop, 2),
                Arguments.of("upgrade", upgrade, 4), Arguments.of("status", status, 4),
                Arguments.of("iam-policy --apply", policy, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorCommands")
    void aRealRunMakesExactlyTheCallsTheDryRunPrinted(String name, Function<EmrScriptsTest, List<String>> command,
            int expectedCalls) {
        List<String> cmd = command.apply(this);
        String script = cmd.get(0);
        String[] args = Stream.concat(cmd.subList(1, cmd.size()).stream(),
                Stream.of("--config", scripts.settings().toString(), "--work-dir", scripts.workDir("same").toString()))
                .toArray(String[]::new);

        Result dry = scripts.run(script, Stream.concat(Stream.of(args), Stream.of("--dry-run")).toArray(String[]::new));
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(scripts.recordedAwsCalls()).as("dry run of " + name).isEmpty();
        assertThat(dry.printedAwsCalls()).hasSize(expectedCalls);

        Result real = scripts.run(script, args);
        assertThat(real.exitCode()).as(real.toString()).isZero();
        assertThat(scripts.recordedAwsCalls()).as("what aws was really asked")
                .containsExactlyElementsOf(dry.printedAwsCalls())
                .containsExactlyElementsOf(real.printedAwsCalls());
    }

    @Test
    void aRefusedCallStopsTheScript() {
        Result real = scripts.run(Map.of("FAKE_AWS_FAIL", "add-steps"), "upgrade.sh", "--config", scripts.settings().toString(),
                "--cluster-id", DeployScripts.CLUSTER, "--jar", jar.toString());
        assertThat(real.exitCode()).isNotZero();
        assertThat(scripts.recordedAwsCalls()).as("nothing after the refused add-steps").last().asString().contains("add-steps");
        assertThat(real.stdout()).doesNotContain("upgraded");
    }

    static Stream<Arguments> wrongSettings() {
        return Stream.of(
                Arguments.of(new String[] {"RELEASE_LABEL", "emr-7.4.0"}, "RELEASE_LABEL must be emr-7.7.0 or later"),
                Arguments.of(new String[] {"RELEASE_LABEL", "emr-6.15.0"}, "RELEASE_LABEL must be emr-7.7.0 or later"),
                Arguments.of(new String[] {"SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:bushfire-alerts"},
                        "SNS_TOPIC_ARN must be a topic of account 123456789012 in ap-southeast-2"),
                Arguments.of(new String[] {"CORE_INSTANCE_TYPE", "t3.micro"}, "CORE_INSTANCE_TYPE 't3.micro' is not one we size for"),
                Arguments.of(new String[] {"ES_ENDPOINT", "https://admin:secret@search.example:443"},
                        "ES_ENDPOINT must be http(s)://host[:port] with no credentials"),
                Arguments.of(new String[] {"CHECKPOINT_INTERVAL", "1h30m"}, "CHECKPOINT_INTERVAL must look like"),
                Arguments.of(new String[] {"STATE_URI", "hdfs:///flink"}, "STATE_URI must be an s3://bucket/prefix URI"),
                Arguments.of(new String[] {"ACCOUNT_ID", "1234"}, "ACCOUNT_ID must be 12 digits"),
                Arguments.of(new String[] {"ES_SIGV4", "yes"}, "ES_SIGV4 must be true or false"),
                Arguments.of(new String[] {"ES_SIGV4", "true", "ES_CREDENTIALS_SECRET_ARN",
                        "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bushfire/es-AbCdEf"},
                        "ES_SIGV4=true signs with the instance role"),
                Arguments.of(new String[] {"STREAM", "readings"}, "unknown setting 'STREAM'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongSettings")
    void settingsThatWouldDeployTheWrongThingAreRefusedBeforeAnyCall(String[] setting, String message) {
        Result result = scripts.run("create-cluster.sh", "--config", scripts.settings(setting).toString(), "--jar",
                jar.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains(message);
        assertThat(scripts.recordedAwsCalls()).isEmpty();
    }

    @Test
    void elasticsearchCredentialsComeFromASecretAndNeverAppearInTheDeployment() throws Exception {
        String secret = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bushfire/es-AbCdEf";
        Path work = scripts.workDir("secret");
        Result dry = scripts.run("create-cluster.sh", "--config", scripts.settings("ES_CREDENTIALS_SECRET_ARN", secret).toString(),
                "--jar", jar.toString(), "--dry-run", "--work-dir", work.toString());
        assertThat(dry.exitCode()).as(dry.toString()).isZero();

        assertThat(DeployScripts.json(work.resolve("bootstrap-actions.json")).get(0).get("Args").toString())
                .contains("\"--es-credentials-secret\",\"" + secret + "\"");
        JsonNode steps = DeployScripts.json(work.resolve("steps.json"));
        assertThat(DeployScripts.startStep(steps, "run").get("Args").toString())
                .as("the alerting job never sees Elasticsearch credentials").doesNotContain("es-credentials");
        JsonNode start = DeployScripts.startStep(steps, "index");
        assertThat(start.get("Args").toString()).contains("\"--ship-file\",\"/home/hadoop/bushfire/conf/es-credentials\"");
        assertThat(DeployScripts.jobArgs(start)).containsSequence("--es-credentials-file", "es-credentials");
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).doesNotContainIgnoringCase("password");
            }
        }
    }
}
