package dev.psa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InputNormalizationTest {
    @Test
    void imagenetAndCaffeMatchHandValues() {
        // one pixel R=255, G=128, B=0
        INDArray px = Nd4j.create(new float[] {255, 128, 0}, new long[] {3, 1, 1}, 'c');
        INDArray im = InputNormalization.IMAGENET.apply(px);
        assertThat(im.getDouble(0, 0, 0)).isCloseTo((1.0 - 0.485) / 0.229, within(1e-5));
        assertThat(im.getDouble(1, 0, 0)).isCloseTo((128 / 255.0 - 0.456) / 0.224, within(1e-5));
        assertThat(im.getDouble(2, 0, 0)).isCloseTo((0 - 0.406) / 0.225, within(1e-5));
        INDArray caffe = InputNormalization.CAFFE_BGR.apply(px.reshape(1, 3, 1, 1));
        assertThat(caffe.shape()).containsExactly(1, 3, 1, 1);
        assertThat(caffe.getDouble(0, 0, 0, 0)).isCloseTo(0 - 104.008, within(1e-4));   // B
        assertThat(caffe.getDouble(0, 1, 0, 0)).isCloseTo(128 - 116.669, within(1e-4)); // G
        assertThat(caffe.getDouble(0, 2, 0, 0)).isCloseTo(255 - 122.675, within(1e-4)); // R
    }

    @Test
    void batchesAndViewsAreHandledPerImage() {
        INDArray batch = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5).muli(255);
        INDArray all = InputNormalization.IMAGENET.apply(batch);
        INDArray second = InputNormalization.IMAGENET.apply(batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        assertThat(all.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).equalsWithEps(second, 1e-6)).isTrue();
    }
}
