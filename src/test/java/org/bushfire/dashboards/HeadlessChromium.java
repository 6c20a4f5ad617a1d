package org.bushfire.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bushfire.testing.RequiredTool;

/**
 * Debian's Chromium, headless, on loopback pages only: the flags our machines need (no sandbox as root, no
 * background networking on a closed network), a fresh profile per run, and every process it starts — the
 * browser and its helpers — stopped by pid when the run ends.
 */
final class HeadlessChromium {
    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** The browser at $BUSHFIRE_CHROMIUM or {@code chromium} on the PATH; without one, skipped or failed (CI). */
    static HeadlessChromium find(Path workDir) {
        return new HeadlessChromium(RequiredTool.CHROMIUM.require(), workDir);
    }

    /** The page's DOM after it has run for {@code budgetMillis} of virtual time. */
    String dumpDom(String url, int budgetMillis) throws Exception {
        Path out = run(url, budgetMillis, "--dump-dom");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page at 1 CSS pixel = 1 image pixel. */
    Path screenshot(String url, int budgetMillis) throws Exception {
        Path png = Files.createTempFile(workDir, "page", ".png");
        run(url, budgetMillis, "--screenshot=" + png);
        if (Files.size(png) == 0) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private Path run(String url, int budgetMillis, String action) throws Exception {
        if (!url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("loopback pages only: " + url);
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path out = Files.createTempFile(workDir, "chromium", ".out");
        Path err = Files.createTempFile(workDir, "chromium", ".err");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1400,1100", "--force-device-scale-factor=1",
                "--virtual-time-budget=" + budgetMillis, action, url));
        Process browser = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Set<ProcessHandle> started = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try {
            while (browser.isAlive() && System.nanoTime() < deadline) {
                browser.descendants().forEach(started::add);
                browser.waitFor(100, TimeUnit.MILLISECONDS);
            }
            if (browser.isAlive()) {
                throw new AssertionError("Chromium did not finish in 90 s; stderr:\n" + tail(err));
            }
            if (browser.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + browser.exitValue() + "; stderr:\n" + tail(err));
            }
            return out;
        } finally {
            // The browser's helper processes (zygote, renderer, GPU/utility) by pid, then the browser.
            browser.descendants().forEach(started::add);
            started.forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
