package dev.psa.data.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.ConfigException;

class ShapesGeneratorTest {
    private static final ShapesGenerator GEN = new ShapesGenerator(ShapesConfig.defaults());
    /** The first 40 train images, shared by the tests. */
    private static final java.util.List<ShapesImage> IMAGES = java.util.stream.IntStream.range(0, 40)
            .mapToObj(i -> GEN.generate("train", i)).toList();

    @Test
    void sameSeedSameImagesInAnyOrder() {
        ShapesImage a = GEN.generate("train", 7);
        GEN.generate("val", 3);
        ShapesImage b = new ShapesGenerator(ShapesConfig.defaults()).generate("train", 7);
        assertThat(b.rgb()).containsExactly(a.rgb());
        assertThat(b.mask()).isEqualTo(a.mask());
        assertThat(GEN.generate("train", 8).rgb()).isNotEqualTo(a.rgb());
        assertThat(GEN.generate("val", 7).rgb()).isNotEqualTo(a.rgb());
        ShapesGenerator other = new ShapesGenerator(ShapesConfig.defaults().with(96, 1000, 1));
        assertThat(other.generate("train", 7).rgb()).isNotEqualTo(a.rgb());
    }

    @Test
    void masksMatchTheDrawnObjects() {
        for (ShapesImage img : IMAGES) {
            int s = img.size();
            TreeSet<Integer> inMask = new TreeSet<>();
            for (int p = 0; p < s * s; p++) {
                int m = img.mask().get(p);
                int inst = img.instances()[p];
                byte part = img.parts()[p];
                if (inst == 0) {
                    assertThat(m).isZero();
                    assertThat(part).isIn(ShapesGenerator.BACKGROUND, ShapesGenerator.CLUTTER);
                } else {
                    ShapesGenerator.ShapeObject o = img.objects().get(inst - 1);
                    assertThat(m).isEqualTo(o.classId());
                    assertThat(o.inBody(p % s + 0.5, p / s + 0.5)).isTrue();
                    assertThat(part == ShapesGenerator.MARK).isEqualTo(o.inMark(p % s + 0.5, p / s + 0.5));
                    inMask.add(m);
                }
            }
            assertThat(Arrays.stream(img.classes()).boxed().toList()).containsExactlyElementsOf(inMask);
            assertThat(img.objects()).hasSizeBetween(1, 2);
        }
    }

    @Test
    void markPixelsCarryTheClassColourAndNothingElseDoes() {
        int[] checked = new int[2];
        for (ShapesImage img : IMAGES) {
            int s = img.size();
            for (int p = 0; p < s * s; p++) {
                float[] px = {img.rgb()[p], img.rgb()[s * s + p], img.rgb()[2 * s * s + p]};
                int nearest = nearestClassTone(px);
                if (img.parts()[p] == ShapesGenerator.MARK) {
                    // light or dark tone of its own class, within the noise (sigma 4)
                    assertThat(nearest).as(img.id() + " pixel " + p).isEqualTo(img.mask().get(p));
                    assertThat(distanceToTone(px, img.mask().get(p))).isLessThan(20);
                    checked[0]++;
                } else {
                    // body, background and clutter are far from every class tone
                    for (int c = 1; c <= 4; c++) {
                        if (distanceToTone(px, c) < 20) {
                            checked[1]++;
                        }
                    }
                }
            }
        }
        assertThat(checked[0]).isGreaterThan(1000);
        assertThat(checked[1]).as("non-mark pixels that look like a class tone").isLessThan(30);
    }

    @Test
    void theClassCueIsPartialAbout12PercentOfTheObject() {
        long mark = 0;
        long object = 0;
        for (ShapesImage img : IMAGES) {
            for (int k = 0; k < img.objects().size(); k++) {
                int id = k + 1;
                long m = 0;
                long o = 0;
                for (int p = 0; p < img.instances().length; p++) {
                    if (img.instances()[p] == id) {
                        o++;
                        if (img.parts()[p] == ShapesGenerator.MARK) {
                            m++;
                        }
                    }
                }
                if (img.objects().size() == 1) {
                    mark += m;
                    object += o;
                }
                assertThat(m).as(img.id() + " object " + k + " keeps its whole mark").isPositive();
            }
        }
        double ratio = (double) mark / object;
        assertThat(ratio).isBetween(0.11, 0.14);
    }

    @Test
    void objectsAreLargeAndBodiesAreTinted() {
        double fg = 0;
        int n = IMAGES.size();
        for (ShapesImage img : IMAGES) {
            for (ShapesGenerator.ShapeObject o : img.objects()) {
                assertThat(o.a()).isBetween(0.22 * 96, 0.35 * 96);
                assertThat(o.b()).isBetween(0.22 * 96, 0.35 * 96);
            }
            fg += Arrays.stream(img.mask().toIntArray()).filter(v -> v > 0).count() / (96.0 * 96);
        }
        assertThat(fg / n).isBetween(0.2, 0.45);
    }

    @Test
    void anySizeWorks() {
        for (int size : new int[] {32, 160}) {
            ShapesGenerator g = new ShapesGenerator(ShapesConfig.defaults().with(size, 10, 3));
            ShapesImage img = g.generate("train", 0);
            assertThat(img.image().shape()).containsExactly(3, size, size);
            assertThat(img.mask().width()).isEqualTo(size);
            assertThat(img.classes()).isNotEmpty();
        }
    }

    @Test
    void configReadsKeysAndReportsEveryProblem() {
        ShapesConfig c = ShapesConfig.from(ComponentConfig.ofStrings(Map.of("data.shapes.size", "64",
                "data.shapes.count", "50", "data.shapes.seed", "9")).scoped("data.shapes."));
        assertThat(c.size()).isEqualTo(64);
        assertThat(c.trainCount()).isEqualTo(40);
        assertThat(c.valCount()).isEqualTo(10);
        assertThat(c.seed()).isEqualTo(9);
        assertThatThrownBy(() -> ShapesConfig.from(ComponentConfig.ofStrings(Map.of("data.shapes.classes", "9",
                "data.shapes.max-objects", "5")).scoped("data.shapes.")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.shapes.classes").hasMessageContaining("data.shapes.max-objects");
    }

    private static int nearestClassTone(float[] px) {
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int c = 1; c <= 4; c++) {
            double d = distanceToTone(px, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /** Max-channel distance to the nearer of the class's two texture tones. */
    private static double distanceToTone(float[] px, int c) {
        float[] col = ShapesGenerator.classColour(c);
        double light = 0;
        double dark = 0;
        for (int ch = 0; ch < 3; ch++) {
            light = Math.max(light, Math.abs(px[ch] - col[ch]));
            dark = Math.max(dark, Math.abs(px[ch] - col[ch] * ShapesGenerator.DARK));
        }
        return Math.min(light, dark);
    }
}
