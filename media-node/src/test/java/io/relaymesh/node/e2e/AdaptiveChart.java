package io.relaymesh.node.e2e;

import io.relaymesh.node.e2e.AdaptiveTimeline.Sample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The PNG of one {@code AdaptiveIT} run, drawn with Java2D (headless): over time, the node's bandwidth estimate
 * for the shaped viewer and what that viewer actually received (kbit/s, left axis), the link limit (shaded while it
 * is on), and the spatial layer the node selected for it as a step line (right axis).
 */
final class AdaptiveChart {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 80;
    private static final int TOP = 50;
    private static final int BOTTOM = 80;
    private static final Color ESTIMATE = new Color(0x1f, 0x77, 0xb4);
    private static final Color RECEIVED = new Color(0x2c, 0xa0, 0x2c);
    private static final Color LAYER = new Color(0xff, 0x7f, 0x0e);
    private static final Color LIMIT = new Color(0xd6, 0x27, 0x28);

    private AdaptiveChart() {
    }

    static void write(String title, List<Sample> samples, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g, title, samples);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void draw(Graphics2D g, String title, List<Sample> samples) {
        double seconds = Math.max(10, samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds());
        double maxKbps = 500;
        for (Sample s : samples) {
            maxKbps = Math.max(maxKbps, Math.max(s.estimateBps() / 1000.0, s.shapedKbps()));
        }
        maxKbps = Math.ceil(maxKbps / 500) * 500;
        Plot plot = new Plot(seconds, maxKbps);

        // The limit: shaded while on, its rate as a dashed line.
        for (int i = 0; i + 1 < samples.size(); i++) {
            Sample a = samples.get(i);
            if (a.limitBps() > 0) {
                int x0 = plot.x(a.seconds());
                int x1 = plot.x(samples.get(i + 1).seconds());
                g.setColor(new Color(0xd6, 0x27, 0x28, 28));
                g.fillRect(x0, TOP, Math.max(1, x1 - x0), plot.height());
                g.setColor(LIMIT);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                int y = plot.y(a.limitBps() / 1000.0);
                g.drawLine(x0, y, x1, y);
            }
        }
        axes(g, plot);
        line(g, plot, samples, s -> s.estimateBps() < 0 ? Double.NaN : s.estimateBps() / 1000.0, ESTIMATE, false);
        line(g, plot, samples, Sample::shapedKbps, RECEIVED, false);
        line(g, plot, samples, s -> s.spatial() < 0 ? Double.NaN : plot.layerToKbps(s.spatial()), LAYER, true);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        legend(g, samples.stream().noneMatch(s -> s.estimateBps() >= 0), samples.stream().noneMatch(s -> s.spatial() >= 0));
    }

    private static void axes(Graphics2D g, Plot plot) {
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double kbps = plot.maxKbps * i / 5;
            int y = plot.y(kbps);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", kbps), LEFT - 45, y + 4);
        }
        for (int layer = 0; layer <= 2; layer++) {
            g.setColor(LAYER);
            g.drawString("layer " + layer, WIDTH - RIGHT + 8, plot.y(plot.layerToKbps(layer)) + 4);
        }
        int step = plot.seconds > 120 ? 20 : 10;
        for (int t = 0; t <= plot.seconds; t += step) {
            int x = plot.x(t);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, TOP, x, TOP + plot.height());
            g.setColor(Color.DARK_GRAY);
            g.drawString(t + " s", x - 8, TOP + plot.height() + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, plot.height());
        g.drawString("kbit/s", 10, TOP - 8);
    }

    private static void line(Graphics2D g, Plot plot, List<Sample> samples, ToDoubleFunction<Sample> value, Color color,
                             boolean steps) {
        g.setColor(color);
        g.setStroke(new BasicStroke(steps ? 3f : 2f));
        Path2D path = new Path2D.Double();
        boolean pen = false;
        double lastY = 0;
        for (Sample s : samples) {
            double v = value.applyAsDouble(s);
            if (Double.isNaN(v)) {
                pen = false;
                continue;
            }
            double x = plot.x(s.seconds());
            double y = plot.y(v);
            if (!pen) {
                path.moveTo(x, y);
                pen = true;
            } else {
                if (steps) {
                    path.lineTo(x, lastY);
                }
                path.lineTo(x, y);
            }
            lastY = y;
        }
        g.draw(path);
    }

    private static void legend(Graphics2D g, boolean noEstimate, boolean noLayer) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = HEIGHT - 32;
        int x = LEFT;
        x = entry(g, x, y, ESTIMATE, "node's estimate for the shaped viewer" + (noEstimate ? " (not reported)" : ""));
        entry(g, x, y, RECEIVED, "video the shaped viewer received");
        x = LEFT;
        y += 20;
        x = entry(g, x, y, LIMIT, "link limit (shaded while on)");
        entry(g, x, y, LAYER, "spatial layer the node selected for it" + (noLayer ? " (not reported)" : ""));
    }

    private static int entry(Graphics2D g, int x, int y, Color color, String label) {
        g.setColor(color);
        g.fillRect(x, y - 10, 18, 10);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 24, y);
        return x + 34 + g.getFontMetrics().stringWidth(label);
    }

    /** Data to pixel coordinates; layers 0..2 are drawn at 15 %, 45 % and 75 % of the kbit/s axis. */
    private record Plot(double seconds, double maxKbps) {
        int height() {
            return HEIGHT - TOP - BOTTOM;
        }

        int x(double t) {
            return LEFT + (int) Math.round(t / seconds * (WIDTH - LEFT - RIGHT));
        }

        int y(double kbps) {
            return TOP + height() - (int) Math.round(Math.min(kbps, maxKbps) / maxKbps * height());
        }

        double layerToKbps(int layer) {
            return maxKbps * (0.15 + 0.30 * layer);
        }
    }
}
