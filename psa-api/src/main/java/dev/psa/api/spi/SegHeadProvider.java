package dev.psa.api.spi;

/**
 * Discovers a {@link SegHead} by name (config key {@code seg.head}); {@code create} receives the
 * {@code seg.}-scoped view, and a head reads its own keys under {@code seg.<name>.}.
 */
public interface SegHeadProvider extends ComponentProvider<SegHead> {
}
