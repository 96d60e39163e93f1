package dev.psa.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import dev.psa.api.spi.ParamRole;

/**
 * A tiny classifier like the PSA one: 3×3 conv (YXIO) + ReLU, a frozen per-channel scale, dropout,
 * global average pooling, a new 1×1 (dense) layer to 2 classes, multi-label soft margin loss.
 * 10 images 8×8; class c is present when the image's channel c is brighter than average. The batch
 * flips images horizontally at random (rng) so augmentation determinism is exercised too.
 */
final class TinyConvTask implements TrainTask {
    static final int N = 10;
    static final int S = 8;
    final SameDiff sd = SameDiff.create();
    final List<float[]> images = new ArrayList<>();
    final List<float[]> labels = new ArrayList<>();
    final List<Integer> validateCalls = new ArrayList<>();

    /** @param initSeed seed of the parameter initialisation */
    TinyConvTask(long initSeed) {
        Random data = new Random(42);
        for (int i = 0; i < N; i++) {
            float[] img = new float[3 * S * S];
            float[] lab = new float[2];
            for (int c = 0; c < 3; c++) {
                float bias = (float) data.nextGaussian();
                for (int p = 0; p < S * S; p++) {
                    img[c * S * S + p] = bias + 0.5f * (float) data.nextGaussian();
                }
                if (c < 2) {
                    lab[c] = bias > 0 ? 1 : 0;
                }
            }
            images.add(img);
            labels.add(lab);
        }
        Nd4j.getRandom().setSeed(initSeed);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, S, S);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 2);
        SDVariable w1 = sd.var("conv.weight", Nd4j.randn(DataType.FLOAT, 3, 3, 3, 4).muli(0.3));
        SDVariable b1 = sd.var("conv.bias", Nd4j.zeros(DataType.FLOAT, 4));
        SDVariable scale = sd.var("scale", Nd4j.createFromArray(1f, 0.5f, 2f, 1f).reshape(1, 4, 1, 1));
        SDVariable w2 = sd.var("fc.weight", Nd4j.randn(DataType.FLOAT, 4, 2).muli(0.3));
        SDVariable b2 = sd.var("fc.bias", Nd4j.zeros(DataType.FLOAT, 1, 2));
        Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat("NCHW").build();
        SDVariable h = sd.nn.relu("relu", sd.cnn.conv2d("conv", x, w1, b1, conv), 0);
        h = h.mul("scaled", scale);
        h = Layers.dropout(sd, "drop", h, 0.5);

        SDVariable gap = sd.mean("gap", h, 2, 3);
        SDVariable logits = gap.mmul("fc", w2).add("logits", b2);
        Losses.multiLabelSoftMargin(sd, "loss", logits, y);
    }

    @Override
    public SameDiff graph() {
        return sd;
    }

    @Override
    public String lossVariable() {
        return "loss";
    }

    @Override
    public Map<String, ParamRole> roles() {
        return Map.of("conv.weight", ParamRole.WEIGHT, "conv.bias", ParamRole.BIAS, "scale", ParamRole.FROZEN,
                "fc.weight", ParamRole.NEW_WEIGHT, "fc.bias", ParamRole.NEW_BIAS);
    }

    @Override
    public int numSamples() {
        return N;
    }

    @Override
    public Map<String, INDArray> batch(int[] idx, Random rng) {
        float[] xs = new float[idx.length * 3 * S * S];
        float[] ys = new float[idx.length * 2];
        for (int b = 0; b < idx.length; b++) {
            float[] img = images.get(idx[b]);
            boolean flip = rng.nextBoolean();
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < S; r++) {
                    for (int col = 0; col < S; col++) {
                        int src = flip ? S - 1 - col : col;
                        xs[((b * 3 + c) * S + r) * S + col] = img[(c * S + r) * S + src];
                    }
                }
            }
            System.arraycopy(labels.get(idx[b]), 0, ys, b * 2, 2);
        }
        return Map.of("x", Nd4j.create(xs, new long[] {idx.length, 3, S, S}, DataType.FLOAT),
                "y", Nd4j.create(ys, new long[] {idx.length, 2}, DataType.FLOAT));
    }

    @Override
    public Map<String, Double> validate(SameDiff graph, int epoch) {
        validateCalls.add(epoch);
        // a deterministic stand-in for a validation metric: the sum of the new layer's weights
        return Map.of("val_fcsum", graph.getArrForVarName("fc.weight").sumNumber().doubleValue());
    }
}
