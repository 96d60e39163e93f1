package dev.psa.backbones.resnet38;

import java.util.List;
import java.util.Set;
import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Settings of the {@code resnet38} backbone (keys {@code backbone.resnet38.*}, REFERENCE.md §Backbones).
 *
 * @param b6Dropout dropout rate inside bottleneck b6 (key {@code resnet38.b6-dropout}, default 0.3)
 * @param b7Dropout dropout rate inside bottleneck b7 (key {@code resnet38.b7-dropout}, default 0.5)
 * @param frozen    layers whose convs are frozen (key {@code resnet38.frozen}, default
 *                  {@code conv1a,b2,b2_1,b2_2}); every batch norm is frozen regardless
 */
public record ResNet38Config(double b6Dropout, double b7Dropout, List<String> frozen) {
    /** The layer names {@link #frozen} may list. */
    public static final List<String> LAYERS = List.of("conv1a", "b2", "b2_1", "b2_2", "b3", "b3_1", "b3_2",
            "b4", "b4_1", "b4_2", "b4_3", "b4_4", "b4_5", "b5", "b5_1", "b5_2", "b6", "b7");

    public ResNet38Config {
        frozen = List.copyOf(frozen);
        Validator v = new Validator("backbone.resnet38.");
        v.check(b6Dropout >= 0 && b6Dropout < 1, "b6-dropout", "must be in [0, 1), got " + b6Dropout);
        v.check(b7Dropout >= 0 && b7Dropout < 1, "b7-dropout", "must be in [0, 1), got " + b7Dropout);
        for (String f : frozen) {
            v.check(LAYERS.contains(f), "frozen", "unknown layer '" + f + "'; layers: " + LAYERS);
        }
        v.throwIfAny();
    }

    /** @param c the {@code backbone.}-scoped view */
    public static ResNet38Config from(ComponentConfig c) {
        ResNet38Config d = defaults();
        return new ResNet38Config(c.getDouble("resnet38.b6-dropout", d.b6Dropout()),
                c.getDouble("resnet38.b7-dropout", d.b7Dropout()), c.getStrings("resnet38.frozen", d.frozen()));
    }

    public static ResNet38Config defaults() {
        return new ResNet38Config(0.3, 0.5, List.of("conv1a", "b2", "b2_1", "b2_2"));
    }

    boolean isFrozen(String layer) {
        return Set.copyOf(frozen).contains(layer);
    }
}
