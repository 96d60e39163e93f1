package dev.psa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
    static final double[][] X = {{0.3, -1.2, 2.5, 0.0}, {-0.7, 4.0, -3.1, 0.05}, {1.1, 0.0, -0.2, -6.0}};
    static final double[][] Y = {{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 1, 0, 0}};

    /** PyTorch MultiLabelSoftMarginLoss written out: −mean over all (y·log σ(x) + (1−y)·log(1−σ(x))). */
    static double reference(double[][] x, double[][] y) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                double sig = 1 / (1 + Math.exp(-x[i][j]));
                s -= y[i][j] * Math.log(sig) + (1 - y[i][j]) * Math.log(1 - sig);
                n++;
            }
        }
        return s / n;
    }

    static SameDiff graph(INDArray logits, DataType type) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("logits", logits);
        SDVariable y = sd.placeHolder("y", type, -1, logits.size(1));
        Losses.multiLabelSoftMargin(sd, "loss", x, y);
        return sd;
    }

    @Test
    void valueMatchesTheDefinition() {
        SameDiff sd = graph(Nd4j.createFromArray(X), DataType.DOUBLE);
        double loss = sd.output(Map.of("y", Nd4j.createFromArray(Y)), "loss").get("loss").getDouble(0);
        assertThat(loss).isCloseTo(reference(X, Y), within(1e-12));
    }

    @Test
    void gradientMatchesFiniteDifferencesAndIsExactAtZero() {
        SameDiff sd = graph(Nd4j.createFromArray(X), DataType.DOUBLE);
        Map<String, INDArray> ph = Map.of("y", Nd4j.createFromArray(Y));
        INDArray grad = sd.calculateGradients(ph, List.of("logits")).get("logits");
        INDArray x = sd.getArrForVarName("logits");
        double eps = 1e-6;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                double orig = x.getDouble(i, j);
                x.putScalar(new long[] {i, j}, orig + eps);
                double up = sd.output(ph, "loss").get("loss").getDouble(0);
                x.putScalar(new long[] {i, j}, orig - eps);
                double down = sd.output(ph, "loss").get("loss").getDouble(0);
                x.putScalar(new long[] {i, j}, orig);
                double numeric = (up - down) / (2 * eps);
                assertThat(grad.getDouble(i, j)).as("d/dx[%d,%d]", i, j).isCloseTo(numeric, within(1e-8));
                // analytic: (σ(x) − y) / (N·C); at x = 0 that is (0.5 − y) / 12
                double sig = 1 / (1 + Math.exp(-X[i][j]));
                assertThat(grad.getDouble(i, j)).isCloseTo((sig - Y[i][j]) / 12, within(1e-12));
            }
        }
    }

    @Test
    void hugeLogitsStayFiniteInFloat() {
        float[][] x = {{1000f, -1000f, 100f, -100f}};
        float[][] y = {{0f, 0f, 1f, 1f}};
        SameDiff sd = graph(Nd4j.createFromArray(x), DataType.FLOAT);
        double loss = sd.output(Map.of("y", Nd4j.createFromArray(y)), "loss").get("loss").getDouble(0);
        // per element: softplus(x) − x·y = 1000, 0, ≈0, 100
        assertThat(loss).isCloseTo((1000 + 0 + 0 + 100) / 4.0, within(1e-3));
        INDArray g = sd.calculateGradients(Map.of("y", Nd4j.createFromArray(y)), List.of("logits")).get("logits");
        assertThat(g.toDoubleVector()).containsExactly(new double[] {0.25, 0, 0, -0.25}, within(1e-6));
    }

    @Test
    void mismatchedShapesAreRejectedWithBothShapes() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("logits", Nd4j.zeros(DataType.FLOAT, 2, 3));
        SDVariable y = sd.var("targets", Nd4j.zeros(DataType.FLOAT, 2, 4));
        assertThatThrownBy(() -> Losses.multiLabelSoftMargin(sd, "loss", x, y))
                .hasMessage("targets: expected [N, C] = [2, 3] (the logits' shape), got [2, 4]");
    }
}
