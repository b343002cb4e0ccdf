package org.jrnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jrnn.core.AtomicFile;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots drawn with XChart, written atomically (temporary file, then rename). */
final class Plots {
    private Plots() {
    }

    /** One line of a plot. */
    record Series(String name, double[] x, double[] y) {
    }

    static XYChart chart(String title, String xTitle, String yTitle, List<Series> series) {
        return chart(title, xTitle, yTitle, series, false);
    }

    /** A line chart; {@code logY} for values spanning decades (all must be > 0). */
    static XYChart chart(String title, String xTitle, String yTitle, List<Series> series, boolean logY) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Series s : series) {
            if (s.x().length > 0) {
                chart.addSeries(s.name(), s.x(), s.y()).setMarker(s.x().length > 40 ? SeriesMarkers.NONE
                        : SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    /** Writes one chart. */
    static void write(Path file, XYChart chart) throws IOException {
        AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes several charts in a grid. */
    static void write(Path file, List<XYChart> charts, int rows, int columns) throws IOException {
        AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(charts, rows, columns, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
