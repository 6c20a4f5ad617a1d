package org.bushfire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bushfire.testing.RequiredTool;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the deployment and the dashboards passes shellcheck. Without shellcheck the test is
 * skipped, naming the install command, except in CI, where it fails ({@link RequiredTool}).
 */
class ShellcheckTest {
    static final List<Path> FOLDERS = List.of(Path.of("deploy"), Path.of("dashboards"),
            Path.of("src", "test", "resources", "org", "bushfire", "deploy"));

    @Test
    void everyDeployAndDashboardScriptIsShellcheckClean() throws Exception {
        List<String> scripts = new ArrayList<>();
        for (Path folder : FOLDERS) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.filter(f -> f.toString().endsWith(".sh")).map(Path::toString).sorted().forEach(scripts::add);
                }
            }
        }
        assertThat(scripts).as("scripts found").anyMatch(s -> s.endsWith("create-cluster.sh"));

        List<String> command = new ArrayList<>(List.of(RequiredTool.SHELLCHECK.require().toString(),
                "--external-sources", "--format=gcc"));
        command.addAll(scripts);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("shellcheck finished").isTrue();
        assertThat(process.exitValue()).as("shellcheck found problems:\n" + output + "\nin " + scripts.stream()
                .collect(Collectors.joining(" "))).isZero();
    }
}
