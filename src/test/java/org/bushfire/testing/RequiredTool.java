package org.bushfire.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A program outside Java, Maven and Node that a test needs: shellcheck for the scripts, Chromium for the heat map
 * page. The README promises a green {@code mvn -B verify} with Java, Maven and Node alone, so on a developer's
 * machine a missing tool skips the test with one line naming the tool and the command that installs it; CI
 * ({@code CI=true}, set by {@code .ci/run}, which installs both) must prove everything, so there it fails.
 * {@link SkippedTests} lists every such skip again at the end of the run.
 */
public enum RequiredTool {
    SHELLCHECK("shellcheck", null, "sudo apt-get install shellcheck", "the shell scripts cannot be linted"),
    CHROMIUM("chromium", "BUSHFIRE_CHROMIUM", "sudo apt-get install chromium (or set BUSHFIRE_CHROMIUM to a Chromium binary)",
            "the heat map page cannot be rendered");

    /** The prefix of a skip's message, so that the end-of-run list can tell tool skips from others. */
    public static final String MISSING = "missing tool: ";

    private final String command;
    private final String variable;
    private final String install;
    private final String consequence;

    RequiredTool(String command, String variable, String install, String consequence) {
        this.command = command;
        this.variable = variable;
        this.install = install;
        this.consequence = consequence;
    }

    /** The tool's executable; otherwise the calling test is skipped (outside CI) or failed (in CI). */
    public Path require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String line = MISSING + command + " (" + consequence + "); install it: " + install;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return Assertions.fail(line + ". CI=true, so a missing tool fails instead of skipping.");
        }
        System.err.println("SKIPPED " + line);
        Assumptions.abort(line);
        throw new AssertionError("unreachable");
    }

    /** The variable's path when it is set (and then only it), else the command on the PATH. */
    Optional<Path> find() {
        String configured = variable == null ? null : System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String folder : searchPath.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, command);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
