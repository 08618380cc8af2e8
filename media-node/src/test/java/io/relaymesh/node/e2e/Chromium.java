package io.relaymesh.node.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium (the Debian package, not a downloaded build) with a fake camera and microphone, driven by
 * Playwright. Fails with a clear message when Chromium is not installed: the test command installs it.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("RELAYMESH_CHROMIUM", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    Chromium() {
        this(EXECUTABLE, List.of());
    }

    /**
     * Chromium started through {@code launcher} (the Chromium binary, or a script that execs it, e.g. inside a
     * network namespace) with {@code extraArgs} after the usual ones, e.g. a fake camera file.
     */
    Chromium(Path launcher, List<String> extraArgs) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("Chromium not found at " + EXECUTABLE
                    + ": run the README's test command (it installs the Debian package 'chromium'), "
                    + "or set RELAYMESH_CHROMIUM");
        }
        List<String> args = new ArrayList<>(List.of(
                "--no-sandbox",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run"));
        args.addAll(extraArgs);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(launcher)
                .setHeadless(true)
                .setArgs(args));
    }

    /** A page in its own context (own camera permission, own cookies). */
    Page newPage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setPermissions(List.of("camera", "microphone")));
        return context.newPage();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
