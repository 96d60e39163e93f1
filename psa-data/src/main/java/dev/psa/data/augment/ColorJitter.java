package dev.psa.data.augment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * torchvision's {@code ColorJitter} on planar RGB in [0, 255]: factors drawn uniformly
 * (brightness, contrast, saturation in [max(0, 1−x), 1+x], hue in [−h, h]), then the four
 * adjustments applied in a random order, each clamping to [0, 255]. Contrast blends with the
 * image's mean luma, saturation with each pixel's luma (ITU-R 601: 0.299, 0.587, 0.114), hue
 * rotates the HSV hue.
 */
final class ColorJitter {
    private ColorJitter() {
    }

    static void apply(float[] px, int h, int w, AugmentConfig c, Random rng) {
        double b = factor(c.brightness(), rng);
        double ct = factor(c.contrast(), rng);
        double s = factor(c.saturation(), rng);
        double hue = c.hue() > 0 ? -c.hue() + 2 * c.hue() * rng.nextDouble() : 0;
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        Collections.shuffle(order, rng);
        int n = h * w;
        for (int op : order) {
            switch (op) {
                case 0 -> {
                    if (c.brightness() > 0) {
                        for (int i = 0; i < px.length; i++) {
                            px[i] = clamp(px[i] * b);
                        }
                    }
                }
                case 1 -> {
                    if (c.contrast() > 0) {
                        double mean = 0;
                        for (int i = 0; i < n; i++) {
                            mean += luma(px, i, n);
                        }
                        mean /= n;
                        for (int i = 0; i < px.length; i++) {
                            px[i] = clamp(mean + ct * (px[i] - mean));
                        }
                    }
                }
                case 2 -> {
                    if (c.saturation() > 0) {
                        for (int i = 0; i < n; i++) {
                            double l = luma(px, i, n);
                            for (int ch = 0; ch < 3; ch++) {
                                px[ch * n + i] = clamp(l + s * (px[ch * n + i] - l));
                            }
                        }
                    }
                }
                default -> {
                    if (c.hue() > 0) {
                        shiftHue(px, n, hue);
                    }
                }
            }
        }
    }

    private static double factor(double x, Random rng) {
        if (x <= 0) {
            return 1;
        }
        double lo = Math.max(0, 1 - x);
        return lo + (1 + x - lo) * rng.nextDouble();
    }

    private static double luma(float[] px, int i, int n) {
        return 0.299 * px[i] + 0.587 * px[n + i] + 0.114 * px[2 * n + i];
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(255, v));
    }

    /** Rotates the hue of every pixel by {@code shift} turns (HSV, value and saturation kept). */
    static void shiftHue(float[] px, int n, double shift) {
        for (int i = 0; i < n; i++) {
            double r = px[i];
            double g = px[n + i];
            double b = px[2 * n + i];
            double max = Math.max(r, Math.max(g, b));
            double min = Math.min(r, Math.min(g, b));
            double d = max - min;
            if (d <= 0) {
                continue; // gray: no hue
            }
            double hh;
            if (max == r) {
                hh = ((g - b) / d) / 6;
            } else if (max == g) {
                hh = ((b - r) / d + 2) / 6;
            } else {
                hh = ((r - g) / d + 4) / 6;
            }
            hh = hh + shift;
            hh -= Math.floor(hh);
            double sat = d / max;
            double[] rgb = hsvToRgb(hh, sat, max);
            px[i] = (float) rgb[0];
            px[n + i] = (float) rgb[1];
            px[2 * n + i] = (float) rgb[2];
        }
    }

    static double[] hsvToRgb(double h, double s, double v) {
        double f6 = h * 6;
        int sector = (int) Math.floor(f6) % 6;
        double f = f6 - Math.floor(f6);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        return switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
    }
}
