package dev.psa.seg.heads;

import dev.psa.api.config.ComponentConfig;
import dev.psa.api.spi.SegHead;
import dev.psa.api.spi.SegHeadProvider;

/** Provides {@link AsppHead} as {@code aspp}; keys {@code seg.aspp.dilations|dropout}. */
public final class AsppHeadProvider implements SegHeadProvider {
    @Override
    public String name() {
        return "aspp";
    }

    @Override
    public String description() {
        return "DeepLab v2 ASPP: parallel 3x3 convs to the classes, dilations 6, 12, 18, 24, summed";
    }

    /** @param config the {@code seg.}-scoped view */
    @Override
    public SegHead create(ComponentConfig config) {
        return new AsppHead(config.getInts("aspp.dilations", 6, 12, 18, 24), config.getDouble("aspp.dropout", 0));
    }
}
