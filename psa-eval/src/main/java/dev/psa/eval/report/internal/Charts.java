package dev.psa.eval.report.internal;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart into PNG bytes. */
public final class Charts {
    private Charts() {
    }

    /**
     * Per-class IoU bars, one series per stage.
     *
     * @param classes class names (x axis)
     * @param iouPercentByStage stage → per-class IoU in percent (NaN drawn as 0)
     */
    public static byte[] perClassIou(List<String> classes, Map<String, double[]> iouPercentByStage) {
        CategoryChart chart = new CategoryChartBuilder().width(classes.size() > 8 ? 800 : 480).height(360)
                .title("Per-class IoU (%)").xAxisTitle("class").yAxisTitle("IoU %").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("0");
        iouPercentByStage.forEach((stage, v) -> {
            Double[] y = new Double[v.length];
            for (int i = 0; i < v.length; i++) {
                y[i] = Double.isNaN(v[i]) ? 0.0 : v[i];
            }
            chart.addSeries(stage, classes, List.of(y)).setFillColor(colour(stage, chart.getSeriesMap().size()));
        });
        return encode(chart);
    }

    /**
     * The CAM mIoU against the constant background threshold, with the best point marked.
     *
     * @param thresholds x values
     * @param miouPercent y values, percent
     * @param best index of the best threshold
     */
    public static byte[] thresholdCurve(double[] thresholds, double[] miouPercent, int best) {
        XYChart chart = new XYChartBuilder().width(380).height(360).title("CAM mIoU vs background threshold")
                .xAxisTitle("background threshold").yAxisTitle("mIoU %").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        XYSeries s = chart.addSeries("mIoU", thresholds, miouPercent);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(STAGE_COLOURS[0]);
        if (best >= 0 && best < thresholds.length) {
            XYSeries b = chart.addSeries(String.format(Locale.ROOT, "best %.2f: %.2f", thresholds[best],
                    miouPercent[best]), new double[] {thresholds[best]}, new double[] {miouPercent[best]});
            b.setMarker(SeriesMarkers.CIRCLE);
        }
        return encode(chart);
    }

    /**
     * Each training's mean loss per epoch (from its {@code metrics.json}), one line per network.
     *
     * @param lossByNetwork network → mean training loss of epochs 1, 2, …
     */
    public static byte[] lossCurves(Map<String, double[]> lossByNetwork) {
        XYChart chart = new XYChartBuilder().width(380).height(360).title("Training loss per epoch")
                .xAxisTitle("epoch").yAxisTitle("mean loss").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        int i = 0;
        for (Map.Entry<String, double[]> e : lossByNetwork.entrySet()) {
            double[] epochs = new double[e.getValue().length];
            for (int k = 0; k < epochs.length; k++) {
                epochs[k] = k + 1;
            }
            XYSeries s = chart.addSeries(e.getKey(), epochs, e.getValue());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(STAGE_COLOURS[4 + i++ % (STAGE_COLOURS.length - 4)]);
        }
        return encode(chart);
    }

    /**
     * How many images fall in each 10-point bin of per-image mIoU (0–10, …, 90–100; 100 goes in
     * the last bin), one series per stage.
     *
     * @param miouPercentByStage stage → per-image mIoU in percent
     */
    public static byte[] imageMiouHistogram(Map<String, double[]> miouPercentByStage) {
        CategoryChart chart = new CategoryChartBuilder().width(380).height(360).title("Images by their mIoU")
                .xAxisTitle("image mIoU %").yAxisTitle("images").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setYAxisMin(0.0);
        List<String> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            bins.add((10 * b) + "–" + (10 * b + 10));
        }
        miouPercentByStage.forEach((stage, v) -> {
            List<Integer> counts = new ArrayList<>(Collections.nCopies(10, 0));
            for (double x : v) {
                if (!Double.isNaN(x)) {
                    int b = histogramBin(x);
                    counts.set(b, counts.get(b) + 1);
                }
            }
            chart.addSeries(stage, bins, counts).setFillColor(colour(stage, chart.getSeriesMap().size()));
        });
        return encode(chart);
    }

    /**
     * Lines of a value against a numeric x, one series per label, each point marked.
     *
     * @param title  chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     * @param series label → {x values, y values} (NaN y values left out)
     */
    public static byte[] lines(String title, String xTitle, String yTitle, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(420).height(340).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        series.forEach((label, xy) -> {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < xy[0].length; i++) {
                if (!Double.isNaN(xy[1][i])) {
                    xs.add(xy[0][i]);
                    ys.add(xy[1][i]);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(label, xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineColor(colour(label, chart.getSeriesMap().size()));
                s.setMarkerColor(colour(label, chart.getSeriesMap().size()));
            }
        });
        return encode(chart);
    }

    /** The 10-point bin of a percentage: [0, 10) → 0, …, [90, 100] → 9. */
    static int histogramBin(double percent) {
        return (int) Math.max(0, Math.min(9, Math.floor(percent / 10)));
    }

    /** One colour per stage in every chart; other series take the rest of the list in turn. */
    private static Color colour(String series, int index) {
        return switch (series) {
            case "CAM" -> STAGE_COLOURS[0];
            case "CAM prediction" -> STAGE_COLOURS[1];
            case "seeds" -> STAGE_COLOURS[2];
            case "pseudo labels" -> STAGE_COLOURS[3];
            default -> STAGE_COLOURS[4 + index % (STAGE_COLOURS.length - 4)];
        };
    }

    private static final Color[] STAGE_COLOURS = {new Color(0x4C72B0), new Color(0x64B5CD), new Color(0xDD8452),
        new Color(0x8172B3), new Color(0x55A868), new Color(0xC44E52), new Color(0x937860), new Color(0xDA8BC3)};

    private static byte[] encode(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
