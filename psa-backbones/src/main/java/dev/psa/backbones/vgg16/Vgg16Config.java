package dev.psa.backbones.vgg16;

import java.util.List;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the {@code vgg16} backbone (keys {@code backbone.vgg16.*}, REFERENCE.md §Backbones).
 *
 * @param fc6DilationClassification dilation of fc6 in classification graphs (key
 *                                  {@code vgg16.fc6-dilation-classification}, default 1)
 * @param fc6DilationAffinity       dilation of fc6 in affinity graphs (key
 *                                  {@code vgg16.fc6-dilation-affinity}, default 4)
 * @param dropout                   dropout rate after fc6 (key {@code vgg16.dropout}, default 0.5)
 * @param frozen                    frozen conv layers (key {@code vgg16.frozen}, default
 *                                  {@code conv1_1,conv1_2,conv2_1,conv2_2})
 */
public record Vgg16Config(int fc6DilationClassification, int fc6DilationAffinity, double dropout, List<String> frozen) {
    /** The layer names {@link #frozen} may list. */
    public static final List<String> LAYERS = List.of("conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1",
            "conv3_2", "conv3_3", "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3", "fc6", "fc7");

    public Vgg16Config {
        frozen = List.copyOf(frozen);
        Validator v = new Validator("backbone.vgg16.");
        v.check(fc6DilationClassification >= 1, "fc6-dilation-classification", "must be >= 1, got " + fc6DilationClassification);
        v.check(fc6DilationAffinity >= 1, "fc6-dilation-affinity", "must be >= 1, got " + fc6DilationAffinity);
        v.check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
        for (String f : frozen) {
            v.check(LAYERS.contains(f), "frozen", "unknown layer '" + f + "'; layers: " + LAYERS);
        }
        v.throwIfAny();
    }

    /** @param c the {@code backbone.}-scoped view */
    public static Vgg16Config from(ComponentConfig c) {
        Vgg16Config d = defaults();
        return new Vgg16Config(c.getInt("vgg16.fc6-dilation-classification", d.fc6DilationClassification()),
                c.getInt("vgg16.fc6-dilation-affinity", d.fc6DilationAffinity()),
                c.getDouble("vgg16.dropout", d.dropout()), c.getStrings("vgg16.frozen", d.frozen()));
    }

    public static Vgg16Config defaults() {
        return new Vgg16Config(1, 4, 0.5, List.of("conv1_1", "conv1_2", "conv2_1", "conv2_2"));
    }
}
