package io.iontrap.analysis.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import java.text.DecimalFormat;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The analysis plots, drawn with JFreeChart 1.5.6 for headless PNG output (needs
 * {@code fontconfig} and {@code fonts-dejavu-core} on servers). Every method returns the chart;
 * {@link #save} and {@link #png} render it. Inputs are plain arrays, so the plots do not depend on
 * how the numbers were obtained.
 */
public final class Plots {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 600;
    private static final Color[] SERIES = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private Plots() {
    }

    /** A point with a vertical interval. */
    public record Point(double x, double y, double lo, double hi) {
    }

    /**
     * Fig. 2a/b: probability of each energy bin at each hold time as a heat map (x: hold-time
     * index labelled with the time, y: energy), with ⟨E⟩(t) and its interval on top.
     *
     * @param binEdges     energy bin edges (length bins + 1)
     * @param distribution [t][bin] probabilities
     * @param meanEnergy   ⟨E⟩ per time with interval, x ignored (the index is used)
     */
    public static JFreeChart energyHeatMap(String title, double[] times, double[] binEdges, double[][] distribution,
                                           List<Point> meanEnergy, String energyUnit) {
        int tc = times.length;
        int bins = binEdges.length - 1;
        double[][] xyz = new double[3][tc * bins];
        double max = 0;
        for (int t = 0; t < tc; t++) {
            for (int b = 0; b < bins; b++) {
                int k = t * bins + b;
                xyz[0][k] = t;
                xyz[1][k] = 0.5 * (binEdges[b] + binEdges[b + 1]);
                xyz[2][k] = distribution[t][b];
                max = Math.max(max, distribution[t][b]);
            }
        }
        DefaultXYZDataset heat = new DefaultXYZDataset();
        heat.addSeries("P(E)", xyz);
        XYBlockRenderer block = new XYBlockRenderer();
        block.setBlockWidth(1.0);
        block.setBlockHeight(binEdges[1] - binEdges[0]);
        PaintScale scale = new Viridis(0, max > 0 ? max : 1);
        block.setPaintScale(scale);
        String[] labels = new String[tc];
        for (int t = 0; t < tc; t++) {
            labels[t] = format(times[t]);
        }
        SymbolAxis x = new SymbolAxis("hold time", labels);
        x.setGridBandsVisible(false);
        x.setVerticalTickLabels(tc > 12);
        NumberAxis y = new NumberAxis("energy E" + unitSuffix(energyUnit));
        y.setAutoRangeIncludesZero(false);
        y.setRange(binEdges[0], binEdges[bins]);
        XYPlot plot = new XYPlot(heat, x, y, block);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        x.setRange(-0.5, tc - 0.5);
        YIntervalSeries mean = new YIntervalSeries("<E>(t) with 95% interval");
        for (int t = 0; t < meanEnergy.size(); t++) {
            Point p = meanEnergy.get(t);
            if (Double.isFinite(p.y())) {
                mean.add(t, p.y(), finiteOr(p.lo(), p.y()), finiteOr(p.hi(), p.y()));
            }
        }
        YIntervalSeriesCollection meanData = new YIntervalSeriesCollection();
        meanData.addSeries(mean);
        XYErrorRenderer err = new XYErrorRenderer();
        err.setDefaultLinesVisible(true);
        err.setSeriesPaint(0, Color.RED);
        err.setErrorPaint(Color.RED);
        err.setSeriesStroke(0, new BasicStroke(2f));
        plot.setDataset(1, meanData);
        plot.setRenderer(1, err);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        NumberAxis legendAxis = new NumberAxis("probability");
        legendAxis.setRange(0, max > 0 ? max : 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(15);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Fig. 2c–e: R_i(ΔE) = W_i(ΔE)/W_i(−ΔE) against ΔE (log scale), theory curves per η and
     * measured points with intervals.
     */
    public static JFreeChart rateRatios(Map<String, double[][]> theory, List<Point> measured, String energyUnit) {
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : theory.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false);
            double[][] xy = e.getValue();
            for (int k = 0; k < xy[0].length; k++) {
                if (xy[1][k] > 0 && Double.isFinite(xy[1][k])) {
                    s.add(xy[0][k], xy[1][k]);
                }
            }
            lines.addSeries(s);
        }
        LogAxis y = logAxis("R(dE) = W(dE)/W(-dE)");
        return lineAndPoints("Rate ratio against energy change", "dE" + unitSuffix(energyUnit), y, lines,
                measured, "measured R_i(dE)", 0);
    }

    /**
     * log R(ΔE)/ΔE against ΔE: collapses to −β_eff in the small-jump regime; the theory β_eff of
     * each η is drawn as a horizontal line.
     */
    public static JFreeChart logRatioOverDeltaE(Map<String, double[][]> theory, Map<String, Double> betaEff,
                                                List<Point> measured, String energyUnit) {
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : theory.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false);
            double[][] xy = e.getValue();
            for (int k = 0; k < xy[0].length; k++) {
                if (xy[0][k] != 0 && xy[1][k] > 0 && Double.isFinite(Math.log(xy[1][k]))) {
                    s.add(xy[0][k], Math.log(xy[1][k]) / xy[0][k]);
                }
            }
            lines.addSeries(s);
        }
        NumberAxis y = new NumberAxis("log R / dE" + (energyUnit == null ? "" : " [1/(" + energyUnit + ")^2]"));
        y.setAutoRangeIncludesZero(true);
        JFreeChart chart = lineAndPoints("log R / dE (collapses to -beta_eff)", "dE" + unitSuffix(energyUnit), y, lines,
                measured, "measured", 0);
        XYPlot plot = chart.getXYPlot();
        int k = 0;
        for (Map.Entry<String, Double> b : betaEff.entrySet()) {
            ValueMarker m = new ValueMarker(-b.getValue(), SERIES[k++ % SERIES.length], new BasicStroke(1f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
            m.setLabel("-beta_eff, " + b.getKey());
            m.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            m.setLabelPaint(SERIES[(k - 1) % SERIES.length]);
            m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.RIGHT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
            m.setLabelOffset(new RectangleInsets(2, 2, 2, 60));
            plot.addRangeMarker(m);
        }
        return chart;
    }

    /**
     * β_eff against η: the theory curve 128η/((η²+4)²(2κ/ω+η)ω²) and measured values with intervals
     * (one per run of a scan).
     */
    public static JFreeChart betaEffAgainstEta(double[] eta, double[] theory, List<Point> measured, String energyUnit) {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeries s = new XYSeries("theory beta_eff(eta)", false);
        for (int k = 0; k < eta.length; k++) {
            s.add(eta[k], theory[k]);
        }
        lines.addSeries(s);
        NumberAxis y = new NumberAxis("beta_eff" + (energyUnit == null ? "" : " [1/(" + energyUnit + ")^2]"));
        JFreeChart chart = lineAndPoints("Effective inverse temperature against eta", null, y, lines, measured,
                "measured (Boltzmann fit)", 0);
        chart.getXYPlot().setDomainAxis(logAxis("eta = (gamma - kappa)/omega"));
        return chart;
    }

    /** Fig. 3: the Kolmogorov loop ratio against η (log-log), theory curve and measured points. */
    public static JFreeChart kolmogorov(double[] eta, double[] theory, List<Point> measured) {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeries s = new XYSeries("theory", false);
        for (int k = 0; k < eta.length; k++) {
            if (eta[k] > 0 && theory[k] > 0 && Double.isFinite(theory[k])) {
                s.add(eta[k], theory[k]);
            }
        }
        lines.addSeries(s);
        LogAxis y = logAxis("Kolmogorov ratio K");
        LogAxis x = logAxis("eta = (gamma - kappa)/omega");
        JFreeChart chart = lineAndPoints("Kolmogorov ratio of the two-spin loop", null, y, lines, measured,
                "measured", 1);
        chart.getXYPlot().setDomainAxis(x);
        ValueMarker one = new ValueMarker(1.0, Color.GRAY, new BasicStroke(1f));
        one.setLabel("detailed balance (K = 1)");
        one.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        one.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.RIGHT);
        one.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        chart.getXYPlot().addRangeMarker(one);
        return chart;
    }

    /**
     * Data with error bars against the fitted model, with normalised residuals (obs − fit)/σ below.
     *
     * @param names  one label per series (e.g. configurations)
     * @param data   per series, points over time
     * @param model  per series, [2][k] model curve (time, value)
     */
    public static JFreeChart fitWithResiduals(String title, List<String> names, List<List<Point>> data,
                                              List<double[][]> model, String timeUnit) {
        NumberAxis x = new NumberAxis("hold time" + (timeUnit == null ? "" : " [" + timeUnit + "]"));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(8);
        YIntervalSeriesCollection points = new YIntervalSeriesCollection();
        XYSeriesCollection curves = new XYSeriesCollection();
        YIntervalSeriesCollection residuals = new YIntervalSeriesCollection();
        for (int s = 0; s < names.size(); s++) {
            YIntervalSeries p = new YIntervalSeries(names.get(s) + " data");
            YIntervalSeries r = new YIntervalSeries(names.get(s) + " residual");
            double[][] m = model.get(s);
            for (Point q : data.get(s)) {
                p.add(q.x(), q.y(), q.lo(), q.hi());
                double fit = interpolate(m, q.x());
                double sigma = Math.max((q.hi() - q.lo()) / (2 * 1.96), 1e-12);
                r.add(q.x(), (q.y() - fit) / sigma, (q.y() - fit) / sigma, (q.y() - fit) / sigma);
            }
            points.addSeries(p);
            residuals.addSeries(r);
            XYSeries c = new XYSeries(names.get(s) + " fit", false);
            for (int k = 0; k < m[0].length; k++) {
                c.add(m[0][k], m[1][k]);
            }
            curves.addSeries(c);
        }
        NumberAxis y = new NumberAxis("population");
        XYErrorRenderer err = new XYErrorRenderer();
        err.setDefaultLinesVisible(false);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        for (int s = 0; s < names.size(); s++) {
            Paint c = SERIES[s % SERIES.length];
            err.setSeriesPaint(s, c);
            line.setSeriesPaint(s, c);
            line.setSeriesStroke(s, new BasicStroke(1.5f));
            line.setSeriesVisibleInLegend(s, false);
        }
        XYPlot top = new XYPlot(points, null, y, err);
        top.setDataset(1, curves);
        top.setRenderer(1, line);
        top.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        style(top);
        NumberAxis ry = new NumberAxis("(data - fit)/sigma");
        XYErrorRenderer rr = new XYErrorRenderer();
        rr.setDefaultLinesVisible(false);
        for (int s = 0; s < names.size(); s++) {
            rr.setSeriesPaint(s, SERIES[s % SERIES.length]);
            rr.setSeriesVisibleInLegend(s, false);
        }
        XYPlot bottom = new XYPlot(residuals, null, ry, rr);
        bottom.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
        bottom.addRangeMarker(new ValueMarker(2, Color.LIGHT_GRAY, new BasicStroke(1f)));
        bottom.addRangeMarker(new ValueMarker(-2, Color.LIGHT_GRAY, new BasicStroke(1f)));
        style(bottom);
        combined.add(top, 3);
        combined.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart lineAndPoints(String title, String xLabel, ValueAxis y, XYSeriesCollection lines,
                                            List<Point> measured, String measuredLabel, int unused) {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        for (int s = 0; s < lines.getSeriesCount(); s++) {
            line.setSeriesPaint(s, SERIES[s % SERIES.length]);
            line.setSeriesStroke(s, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(lines, x, y, line);
        if (measured != null && !measured.isEmpty()) {
            // error bars are clipped to 100x beyond the values shown (a non-informative interval,
            // e.g. 1e-150..1e140, would otherwise flatten everything else); the report tables and
            // summary.json keep the full interval
            double yMin = Double.POSITIVE_INFINITY;
            double yMax = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < lines.getSeriesCount(); s++) {
                for (int k = 0; k < lines.getItemCount(s); k++) {
                    double v = lines.getYValue(s, k);
                    if (Double.isFinite(v)) {
                        yMin = Math.min(yMin, v);
                        yMax = Math.max(yMax, v);
                    }
                }
            }
            for (Point p : measured) {
                if (Double.isFinite(p.y())) {
                    yMin = Math.min(yMin, p.y());
                    yMax = Math.max(yMax, p.y());
                }
            }
            boolean log = y instanceof LogAxis;
            double span = yMax - yMin;
            double clipLo = log ? yMin / 100 : yMin - Math.max(span, Math.abs(yMin) + 1e-300);
            double clipHi = log ? yMax * 100 : yMax + Math.max(span, Math.abs(yMax) + 1e-300);
            YIntervalSeries m = new YIntervalSeries(measuredLabel);
            for (Point p : measured) {
                if (Double.isFinite(p.y()) && (!log || p.y() > 0)) {
                    double lo = finiteOr(p.lo(), clipLo);
                    double hi = finiteOr(p.hi(), clipHi);
                    if (log) {
                        lo = lo > 0 ? lo : clipLo;
                    }
                    m.add(p.x(), p.y(), Math.max(lo, Math.min(clipLo, p.y())), Math.min(hi, Math.max(clipHi, p.y())));
                }
            }
            YIntervalSeriesCollection md = new YIntervalSeriesCollection();
            md.addSeries(m);
            XYErrorRenderer err = new XYErrorRenderer();
            err.setDefaultLinesVisible(false);
            err.setSeriesPaint(0, Color.BLACK);
            err.setErrorPaint(Color.BLACK);
            plot.setDataset(1, md);
            plot.setRenderer(1, err);
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        }
        style(plot);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A log axis with ticks at integer powers of ten only (never a bound of 0). */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(1e-300);
        TickUnits units = new TickUnits();
        for (double u : new double[] {1, 2, 5, 10, 20, 50, 100}) {
            units.add(new NumberTickUnit(u, new DecimalFormat("0")));
        }
        axis.setStandardTickUnits(units);
        axis.setMinorTickCount(0);
        return axis;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
    }

    private static double interpolate(double[][] curve, double x) {
        double[] xs = curve[0];
        double[] ys = curve[1];
        if (xs.length == 0) {
            return Double.NaN;
        }
        if (x <= xs[0]) {
            return ys[0];
        }
        for (int k = 1; k < xs.length; k++) {
            if (x <= xs[k]) {
                double w = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
                return ys[k - 1] + w * (ys[k] - ys[k - 1]);
            }
        }
        return ys[ys.length - 1];
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }

    private static String unitSuffix(String energyUnit) {
        return energyUnit == null ? "" : " [(" + energyUnit + ")^2]";
    }

    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-2) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Writes the chart as a PNG (temporary file + rename). */
    public static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The chart as PNG bytes (for embedding in the HTML report). */
    public static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, width, height);
        return out.toByteArray();
    }

    /** A perceptually uniform colour scale (viridis, 9 anchors interpolated). */
    static final class Viridis implements PaintScale {
        private static final int[] ANCHORS = {
            0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaadc32, 0xfde725};
        private final double lower;
        private final double upper;

        Viridis(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double f = (value - lower) / (upper - lower);
            f = Double.isFinite(f) ? Math.max(0, Math.min(1, f)) : 0;
            double pos = f * (ANCHORS.length - 1);
            int k = Math.min((int) pos, ANCHORS.length - 2);
            double w = pos - k;
            int a = ANCHORS[k];
            int b = ANCHORS[k + 1];
            int r = (int) Math.round(((a >> 16) & 255) * (1 - w) + ((b >> 16) & 255) * w);
            int g = (int) Math.round(((a >> 8) & 255) * (1 - w) + ((b >> 8) & 255) * w);
            int bl = (int) Math.round((a & 255) * (1 - w) + (b & 255) * w);
            return new Color(r, g, bl);
        }
    }
}
