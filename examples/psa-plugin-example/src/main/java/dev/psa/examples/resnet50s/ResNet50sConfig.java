package dev.psa.examples.resnet50s;

import java.util.Arrays;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of {@code resnet50s} (keys {@code backbone.resnet50s.*}).
 *
 * @param baseWidth channels of the stem and of layer1's bottleneck (key {@code resnet50s.base-width},
 *                  default 64 as in ResNet-50; layer k's bottleneck has baseWidth·2^(k−1) and its
 *                  output 4× that)
 * @param blocks    bottleneck blocks in layer1..layer4 (key {@code resnet50s.blocks}, default 3,4,6,3)
 */
public record ResNet50sConfig(int baseWidth, int[] blocks) {
    public ResNet50sConfig {
        blocks = blocks.clone();
        Validator v = new Validator("backbone.resnet50s.");
        v.check(baseWidth > 0, "base-width", "must be > 0, got " + baseWidth);
        v.check(blocks.length == 4 && Arrays.stream(blocks).allMatch(b -> b >= 1), "blocks",
                "must be 4 positive counts (layer1..layer4), got " + Arrays.toString(blocks));
        v.throwIfAny();
    }

    /** @param c the {@code backbone.}-scoped view */
    public static ResNet50sConfig from(ComponentConfig c) {
        return new ResNet50sConfig(c.getInt("resnet50s.base-width", 64), c.getInts("resnet50s.blocks", 3, 4, 6, 3));
    }

    public static ResNet50sConfig defaults() {
        return new ResNet50sConfig(64, new int[] {3, 4, 6, 3});
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNet50sConfig c && c.baseWidth == baseWidth && Arrays.equals(c.blocks, blocks);
    }

    @Override
    public int hashCode() {
        return 31 * baseWidth + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return "ResNet50sConfig[baseWidth=" + baseWidth + ", blocks=" + Arrays.toString(blocks) + "]";
    }
}
