package dev.psa.eval.report.internal;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
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
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(420).title("Per-class IoU (%)")
                .xAxisTitle("class").yAxisTitle("IoU %").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("0");
        iouPercentByStage.forEach((stage, v) -> {
            Double[] y = new Double[v.length];
            for (int i = 0; i < v.length; i++) {
                y[i] = Double.isNaN(v[i]) ? 0.0 : v[i];
            }
            chart.addSeries(stage, classes, List.of(y));
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
        XYChart chart = new XYChartBuilder().width(700).height(380).title("CAM mIoU vs background threshold")
                .xAxisTitle("background threshold").yAxisTitle("mIoU %").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        XYSeries s = chart.addSeries("mIoU", thresholds, miouPercent);
        s.setMarker(SeriesMarkers.NONE);
        if (best >= 0 && best < thresholds.length) {
            XYSeries b = chart.addSeries(String.format(java.util.Locale.ROOT, "best %.2f: %.2f", thresholds[best],
                    miouPercent[best]), new double[] {thresholds[best]}, new double[] {miouPercent[best]});
            b.setMarker(SeriesMarkers.CIRCLE);
        }
        return encode(chart);
    }

    private static byte[] encode(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
