package org.bushfire.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes of the demo: started in a session of their own, stopped by their own pid. */
final class Processes {
    private Processes() {}

    /**
     * {@code setsid} (util-linux) when there is one: Ctrl-C in the terminal then reaches only the demo, which stops
     * its children itself, in order, after printing what happened.
     */
    static List<String> inOwnSession() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "setsid"))) {
                return List.of(dir + "/setsid");
            }
        }
        return List.of();
    }

    /** TERM, a bounded wait, then KILL — to this one pid. */
    static boolean stop(Process process, long graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        return process.waitFor(10, TimeUnit.SECONDS);
    }
}
