package dev.sluice.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's static files — the page, its script and style, and the vendored uPlot with its
 * licence — read from the jar once when the admin listener starts, so that serving them reads no
 * file on the event loop. Docs: docs/dashboard.md.
 */
final class DashboardAssets {

    static final String INDEX = "index.html";
    private static final List<String> FILES = List.of(INDEX, "dashboard.js", "dashboard.css",
            "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css", "vendor/uPlot.LICENSE");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "LICENSE", "text/plain; charset=utf-8");
    /** The page loads only its own files and talks only to its own origin. */
    private static final Map<String, String> PAGE_HEADERS = Map.of("content-security-policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");

    private final Map<String, Reply> files;

    private DashboardAssets(Map<String, Reply> files) {
        this.files = Map.copyOf(files);
    }

    /** @throws IllegalStateException when a file is missing from the jar: it was built wrong */
    static DashboardAssets load() {
        Map<String, Reply> files = new HashMap<>();
        for (String name : FILES) {
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            files.put(name, new Reply(200, type, read(name), name.equals(INDEX) ? PAGE_HEADERS : Map.of()));
        }
        return new DashboardAssets(files);
    }

    /** The answer for {@code /dashboard/NAME}, or {@code null} when there is no such file. */
    Reply get(String name) {
        return files.get(name);
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the jar; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the dashboard file " + name + " from the jar", e);
        }
    }
}
