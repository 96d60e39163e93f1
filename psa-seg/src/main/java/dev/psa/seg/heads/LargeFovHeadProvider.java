package dev.psa.seg.heads;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.SegHead;
import dev.psa.api.spi.SegHeadProvider;

/** Provides {@link LargeFovHead} as {@code largefov}; keys {@code seg.largefov.channels|dilation|dropout}. */
public final class LargeFovHeadProvider implements SegHeadProvider {
    @Override
    public String name() {
        return "largefov";
    }

    @Override
    public String description() {
        return "DeepLab-LargeFOV: 3x3 dilation 12 -> 1x1 -> 1x1 classes, dropout 0.5";
    }

    /** @param config the {@code seg.}-scoped view */
    @Override
    public SegHead create(ComponentConfig config) {
        return new LargeFovHead(config.getInt("largefov.channels", 1024), config.getInt("largefov.dilation", 12),
                config.getDouble("largefov.dropout", 0.5));
    }
}
