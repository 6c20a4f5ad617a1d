package org.bushfire.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.cli.BushfireCli;
import org.bushfire.deploy.DeployScripts.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Deploy and job must never drift: the job arguments the EMR steps carry (create-cluster, submit, upgrade)
 * are parsed by the job's own option parser, exactly as {@code flink run ... bushfire-alerting.jar} will,
 * and the command job-control.sh builds on the node hands them to the jar unchanged.
 */
class JobOptionsDriftTest {
    @TempDir
    Path temp;

    DeployScripts scripts;
    Path jar;

    @BeforeEach
    void fakes() {
        scripts = new DeployScripts(temp);
        jar = scripts.jar("bushfire-alerting-0.1.0.jar", "jar\n");
    }

    /** The job arguments of the start step each script would add, from its dry run. */
    private List<List<String>> stepJobArgs(Path settings) {
        List<List<String>> all = new ArrayList<>();
        String[][] commands = {
            {"create-cluster.sh", "--jar", jar.toString()},
            {"submit.sh", "--cluster-id", DeployScripts.CLUSTER, "--jar", jar.toString()},
            {"upgrade.sh", "--cluster-id", DeployScripts.CLUSTER, "--jar", jar.toString()},
        };
        for (String[] command : commands) {
            Path work = scripts.workDir(command[0]);
            List<String> args = new ArrayList<>(List.of(command).subList(1, command.length));
            args.addAll(List.of("--config", settings.toString(), "--dry-run", "--work-dir", work.toString()));
            Result dry = scripts.run(command[0], args.toArray(String[]::new));
            assertThat(dry.exitCode()).as(command[0] + ": " + dry).isZero();
            for (JsonNode start : DeployScripts.startSteps(DeployScripts.json(work.resolve("steps.json")))) {
                all.add(DeployScripts.jobArgs(start));
            }
        }
        return all;
    }

    private static ParseResult parse(List<String> args) {
        return new CommandLine(new BushfireCli()).parseArgs(args.toArray(String[]::new));
    }

    @Test
    void theStepsJobArgumentsAreAcceptedByTheJobsOwnParser() {
        String secret = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bushfire/es-AbCdEf";
        for (Path settings : List.of(scripts.settings(), scripts.settings("ES_CREDENTIALS_SECRET_ARN", secret,
                "JOB_OPTIONS", "--kinesis-reader efo --state-retention 2d --threshold 55",
                "ALERT_JOB_OPTIONS", "--alert-delivery exactly-once", "INDEX_JOB_OPTIONS", "--es-replicas 2"))) {
            List<String> commands = new ArrayList<>();
            for (List<String> args : stepJobArgs(settings)) {
                ParseResult parsed = parse(args);
                ParseResult job = parsed.subcommand();
                assertThat(job).as("the step runs a job command: " + args).isNotNull();
                commands.add(job.commandSpec().name());
                assertThat(job.unmatched()).isEmpty();
                assertThat((String) job.matchedOptionValue("--stream", null)).isEqualTo("sensor-readings");
                assertThat((String) job.matchedOptionValue("--region", null)).isEqualTo("ap-southeast-2");
                assertThat(job.hasMatchedOption("--checkpoint-interval")).isTrue();
                if (job.commandSpec().name().equals("run")) {
                    assertThat((String) job.matchedOptionValue("--sns-topic-arn", null))
                            .isEqualTo("arn:aws:sns:ap-southeast-2:123456789012:bushfire-alerts");
                } else {
                    assertThat(job.commandSpec().name()).isEqualTo("index");
                    assertThat(job.matchedOptionValue("--es-hosts", List.of()).toString())
                            .contains("https://search-bushfire-abcdefghijklmnop.ap-southeast-2.es.amazonaws.com:443");
                }
            }
            assertThat(commands).as("every script starts both jobs").containsOnly("run", "index")
                    .contains("run", "index");
        }
    }

    @Test
    void aDomainWithAnIamAccessPolicyGetsSignedRequestsFromTheIndexingJob() {
        List<List<String>> all = stepJobArgs(scripts.settings("ES_SIGV4", "true"));
        for (List<String> args : all) {
            ParseResult job = parse(args).subcommand();
            if (job.commandSpec().name().equals("index")) {
                assertThat((String) job.matchedOptionValue("--es-sigv4-region", null)).isEqualTo("ap-southeast-2");
            } else {
                assertThat(args).doesNotContain("--es-sigv4-region");
            }
        }
        assertThat(stepJobArgs(scripts.settings()).stream().flatMap(List::stream)).doesNotContain("--es-sigv4-region");
    }

    @Test
    void aWrongOptionOrValueInTheDeploymentIsRejectedByTheParser() {
        List<String> unknown = stepJobArgs(scripts.settings("JOB_OPTIONS", "--threshold 50 --no-such-option 1")).get(0);
        assertThatThrownBy(() -> parse(unknown)).isInstanceOf(CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("--no-such-option");

        List<String> badValue = stepJobArgs(scripts.settings("JOB_OPTIONS", "--window soon")).get(0);
        assertThatThrownBy(() -> parse(badValue)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--window");
    }

    @Test
    void theCheckpointIntervalFlinkIsConfiguredWithIsTheOneTheJobEnables() {
        // RunCommand enables checkpointing itself, which wins over Flink's configuration: the two must agree.
        Path work = scripts.workDir("create-cluster.sh");
        List<String> args = stepJobArgs(scripts.settings("CHECKPOINT_INTERVAL", "45s")).get(0);
        JsonNode configurations = DeployScripts.json(work.resolve("configurations.json"));
        String configured = configurations.get(0).get("Properties").get("execution.checkpointing.interval").asText();

        assertThat(configured).isEqualTo("45s");
        assertThat(args.get(args.indexOf("--checkpoint-interval") + 1)).isEqualTo(configured);
        assertThat(parse(args).subcommand().matchedOption("--checkpoint-interval").getValue().toString()).isEqualTo("PT45S");
    }

    @Test
    void jobControlHandsTheStepsArgumentsToTheJarUnchanged() {
        List<String> stepArgs = stepJobArgs(scripts.settings()).get(1);
        List<String> command = new ArrayList<>(List.of("start", "--jar", "/home/hadoop/bushfire/jars/j.jar", "--dry-run", "--"));
        command.addAll(stepArgs);
        Result dry = scripts.run("job-control.sh", command.toArray(String[]::new));
        assertThat(dry.exitCode()).as(dry.toString()).isZero();

        String flinkRun = dry.stdout().lines().filter(l -> l.startsWith("+ flink run-application ")).findFirst().orElseThrow();
        String afterJar = flinkRun.substring(flinkRun.indexOf(" /home/hadoop/bushfire/jars/j.jar ") + " /home/hadoop/bushfire/jars/j.jar ".length());
        // the printed line is shell-quoted; the job arguments we deploy need no quoting
        assertThat(List.of(afterJar.split(" "))).containsExactlyElementsOf(stepArgs);
        assertThat(parse(List.of(afterJar.split(" "))).subcommand().commandSpec().name()).isEqualTo("index");
    }
}
