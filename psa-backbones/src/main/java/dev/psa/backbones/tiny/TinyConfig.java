package dev.psa.backbones.tiny;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.config.Validator;

/**
 * Channel widths of the {@code tiny} backbone (keys {@code backbone.tiny.*}).
 *
 * @param stemChannels channels of the two stem convs (key {@code tiny.stem-channels}, default 32)
 * @param convChannels channels of the 3×3 conv at stride 8 (key {@code tiny.conv-channels}, default 64)
 * @param channels     channels of the two 1×1 convs, i.e. of the output (key {@code tiny.channels}, default 128)
 */
public record TinyConfig(int stemChannels, int convChannels, int channels) {
    public TinyConfig {
        new Validator("backbone.tiny.")
                .check(stemChannels > 0, "stem-channels", "must be > 0, got " + stemChannels)
                .check(convChannels > 0, "conv-channels", "must be > 0, got " + convChannels)
                .check(channels > 0, "channels", "must be > 0, got " + channels)
                .throwIfAny();
    }

    /** @param c the {@code backbone.}-scoped view; reads {@code tiny.stem-channels}, {@code tiny.conv-channels}, {@code tiny.channels} */
    public static TinyConfig from(ComponentConfig c) {
        return new TinyConfig(c.getInt("tiny.stem-channels", 32), c.getInt("tiny.conv-channels", 64),
                c.getInt("tiny.channels", 128));
    }

    public static TinyConfig defaults() {
        return new TinyConfig(32, 64, 128);
    }
}
