package io.relaymesh.node.e2e;

import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One of the node's sample pages (WHIP broadcaster or WHEP viewer) driven the way a person uses it. */
final class SamplePage {

    private final Page page;

    private SamplePage(Page page) {
        this.page = page;
    }

    /** Opens {@code /samples/whip/} or {@code /samples/whep/}, fills secret and room, and clicks start. */
    static SamplePage start(Chromium chromium, NodeProcess node, String sample, String room) {
        return start(chromium, node, sample, room, java.util.Map.of());
    }

    /** As {@link #start(Chromium, NodeProcess, String, String)}, with headers added to every request of the page. */
    static SamplePage start(Chromium chromium, NodeProcess node, String sample, String room,
                            java.util.Map<String, String> headers) {
        return start(chromium, node.baseUrl(), node.secret(), sample, room, "", headers);
    }

    /**
     * Opens {@code baseUrl/samples/<sample>/?<query>} (e.g. {@code simulcast=3&codec=vp8}), for a browser that reaches
     * the node at another address than loopback (a network namespace), fills secret and room, and clicks start.
     */
    static SamplePage start(Chromium chromium, String baseUrl, String secret, String sample, String room, String query) {
        return start(chromium, baseUrl, secret, sample, room, query, Map.of());
    }

    /** As {@link #start(Chromium, String, String, String, String, String)} through a node, with page headers. */
    static SamplePage start(Chromium chromium, NodeProcess node, String sample, String room, String query,
                            Map<String, String> headers) {
        return start(chromium, node.baseUrl(), node.secret(), sample, room, query, headers);
    }

    private static SamplePage start(Chromium chromium, String baseUrl, String secret, String sample, String room,
                                    String query, Map<String, String> headers) {
        Page page = chromium.newPage();
        if (!headers.isEmpty()) {
            page.setExtraHTTPHeaders(headers);
        }
        page.navigate(baseUrl + "/samples/" + sample + "/" + (query.isEmpty() ? "" : "?" + query));
        page.fill("#secret", secret);
        page.fill("#room", room);
        page.click("#start");
        SamplePage p = new SamplePage(page);
        await(sample + " session created").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .failFast(() -> org.assertj.core.api.Assertions.assertThat(p.error()).as("%s page error", sample).isEmpty())
                .until(() -> Boolean.TRUE.equals(page.evaluate("() => !!window.session")));
        return p;
    }

    /** The session id: the last path segment of the Location the node returned. */
    String sessionId() {
        String resource = (String) page.evaluate("() => window.session.resource");
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** The path of the session's resource ({@code /whep/endpoint/<id>}) and the token that authorizes it. */
    String resourcePath() {
        return (String) page.evaluate("() => new URL(window.session.resource).pathname");
    }

    String token() {
        return (String) page.evaluate("() => window.session.token");
    }

    String error() {
        return page.textContent("#error").trim();
    }

    /** {@code relaymesh.summary(pc)} of the page's session: getStats() condensed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> stats() {
        return (Map<String, Object>) page.evaluate("async () => window.session ? relaymesh.summary(window.session.pc) : {}");
    }

    /** The node's stats of this page's viewer session (its WHEP resource), see {@link #nodeStats(String, String)}. */
    Map<String, Object> nodeStats() {
        return nodeStats(resourcePath(), token());
    }

    /**
     * The node's view of a viewer session (estimate, layers, pacer) through the sample SDK's
     * {@code relaymesh.sessionStats}, run in this page (same origin): a GET on the session's resource with its WHEP
     * token. Empty when the node does not answer 200 JSON. A page on an open path can read the stats of a viewer
     * behind a slow one without loading that link.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> nodeStats(String resourcePath, String token) {
        Object v = page.evaluate("async ([resource, token]) => (await relaymesh.sessionStats({resource, token})) || {}",
                List.of(resourcePath, token));
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    /** A number inside the stats, e.g. {@code number("in-video", "framesDecoded")}; 0 when absent. */
    @SuppressWarnings("unchecked")
    static double number(Map<String, Object> stats, String group, String key) {
        Object g = stats.get(group);
        if (!(g instanceof Map)) {
            return 0;
        }
        Object v = ((Map<String, Object>) g).get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> stats, String group, String key) {
        Object g = group == null ? stats : stats.get(group);
        if (!(g instanceof Map)) {
            return "";
        }
        Object v = ((Map<String, Object>) g).get(key);
        return v == null ? "" : v.toString();
    }

    /** Milliseconds from pressing Play to the first video frame on screen (measured by the page), or -1. */
    long firstFrameMillis() {
        Object v = page.evaluate("() => window.session && window.session.firstFrameMs !== undefined ? window.session.firstFrameMs : -1");
        return ((Number) v).longValue();
    }

    /** Milliseconds from pressing Play to ICE and DTLS connected, -1 until then (WHEP pages). */
    long connectedMillis() {
        Object v = page.evaluate("() => window.session && window.session.connectedMs !== undefined ? window.session.connectedMs : -1");
        return ((Number) v).longValue();
    }

    /** Milliseconds from pressing Play to the node's SDP answer, -1 until then (WHEP pages). */
    long answeredMillis() {
        Object v = page.evaluate("() => window.session && window.session.answeredMs !== undefined ? window.session.answeredMs : -1");
        return ((Number) v).longValue();
    }

    /** Unmutes the player (pages start muted so autoplay is allowed; the test browser allows unmuted autoplay). */
    void unmute() {
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = false; v.play(); }");
    }

    void stop() {
        page.click("#stop");
    }

    Page page() {
        return page;
    }

    /** Scales the published camera down (the fake camera is larger), to spare CPU on a shared machine. */
    void constrainVideo(int width, int height) {
        page.evaluate("async ([w, h]) => { for (const s of window.session.pc.getSenders()) {"
                + " if (s.track && s.track.kind === 'video') await s.track.applyConstraints({width: w, height: h}); } }",
                java.util.List.of(width, height));
    }

    /**
     * Starts recording, in the page, what happens to the received tracks and the connection: {@code mute},
     * {@code unmute} and {@code ended} of each remote track and every connection state, with the page's clock.
     */
    void recordTrackEvents() {
        page.evaluate("() => { const log = window.trackEvents = []; const pc = window.session.pc;"
                + " const at = () => Date.now();"
                + " for (const r of pc.getReceivers()) { const t = r.track; if (!t) continue;"
                + "  for (const type of ['mute', 'unmute', 'ended']) t.addEventListener(type,"
                + "   () => log.push({type, kind: t.kind, at: at()})); }"
                + " pc.addEventListener('connectionstatechange', () => log.push({type: 'connection-' + pc.connectionState,"
                + "  kind: '', at: at()})); }");
    }

    /**
     * Starts counting, in the page, the video frames the player shows ({@code requestVideoFrameCallback}) with the
     * page's clock: when the last frame appeared is then known to the millisecond, however late the test polls.
     */
    void recordFrames() {
        page.evaluate("() => { const v = document.getElementById('player'); const log = window.framesShown ="
                + " {count: 0, last: 0}; const seen = () => { log.count++; log.last = Date.now();"
                + " v.requestVideoFrameCallback(seen); }; v.requestVideoFrameCallback(seen); }");
    }

    /** Frames shown since {@link #recordFrames} and when the last one was (epoch ms, 0 before the first). */
    long[] framesShown() {
        Map<?, ?> log = (Map<?, ?>) page.evaluate("() => window.framesShown");
        return new long[] {((Number) log.get("count")).longValue(), ((Number) log.get("last")).longValue()};
    }

    /** What {@link #recordTrackEvents} saw so far: {@code type}, {@code kind}, {@code at} (epoch ms). */
    @SuppressWarnings("unchecked")
    java.util.List<Map<String, Object>> trackEvents() {
        return (java.util.List<Map<String, Object>>) page.evaluate("() => window.trackEvents || []");
    }

    /** Closes the page's browser context (and with it the page's peer connection) without hanging up. */
    void closePage() {
        page.context().close();
    }
}
