package dev.psa.data.shapes;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import dev.psa.api.ClassList;
import dev.psa.api.LabelMap;

/**
 * Generates the built-in synthetic dataset (SYNTHETIC.md). Every object has a body shared by all
 * classes (tan, tinted {@code bodyTint} towards the class colour, softly shaded) and a central
 * mark in the class colour and the class texture covering {@code markFraction} of it. The body
 * shape (ellipse or squircle), size and rotation are random and carry no class information, so
 * a classifier can only recognise a class by its mark: its CAMs cover the marks, while the body,
 * which differs from the desaturated background in colour, lets low-level affinity spread the
 * label over the whole object.
 *
 * <p>Images are a pure function of (seed, split, index): each one draws from its own random
 * streams, so any subset can be generated in any order, on any thread, with the same result.
 * Pixel values are integers in [0, 255], so writing them to PNG and reading them back is exact.
 */
public final class ShapesGenerator {
    /** Most foreground classes the generator has colours and textures for. */
    public static final int MAX_CLASSES = 6;

    /** Part codes of {@link ShapesImage#parts()}. */
    public static final byte BACKGROUND = 0;
    public static final byte CLUTTER = 1;
    public static final byte BODY = 2;
    public static final byte MARK = 3;

    private static final String[] NAMES = {"red", "green", "blue", "magenta", "cyan", "yellow"};
    private static final float[][] COLOURS = {
        {210, 40, 40}, {40, 170, 60}, {45, 75, 215}, {190, 50, 190}, {40, 185, 195}, {225, 200, 35}};
    private static final float[] BODY_COLOUR = {196, 150, 104};
    /** The texture's second tone is the class colour darkened by this factor. */
    static final float DARK = 0.5f;
    /** Area of the squircle |u|^4 + |v|^4 ≤ 1 in units of a·b: 4Γ(5/4)²/Γ(3/2). */
    private static final double SQUIRCLE_AREA = 3.708149;

    private final ShapesConfig config;
    private final ClassList classes;

    public ShapesGenerator(ShapesConfig config) {
        this.config = requireNonNull(config, "config is null");
        List<String> names = new ArrayList<>();
        names.add("background");
        for (int i = 0; i < config.classes(); i++) {
            names.add(NAMES[i]);
        }
        this.classes = new ClassList(names);
    }

    public ShapesConfig config() {
        return config;
    }

    /** background, red, green, blue, magenta (, cyan, yellow) — as many as {@code classes}. */
    public ClassList classes() {
        return classes;
    }

    /** The pure class colour of class {@code c} (1..K-1), RGB 0..255. */
    public static float[] classColour(int c) {
        return COLOURS[c - 1].clone();
    }

    /** The id of an image: {@code <split>_<index, 5 digits>}, e.g. {@code train_00042}. */
    public static String id(String split, int index) {
        return split + "_" + String.format("%05d", index);
    }

    /** One placed object. Coordinates are in pixels (pixel centres at +0.5). */
    public record ShapeObject(int classId, double cx, double cy, double a, double b, double theta, boolean squircle,
                              double markScale, float brightness) {
        /** Whether (px, py) lies in the body (mark included). */
        public boolean inBody(double px, double py) {
            double[] uv = local(px, py);
            double u2 = uv[0] * uv[0];
            double v2 = uv[1] * uv[1];
            return squircle ? u2 * u2 + v2 * v2 <= 1 : u2 + v2 <= 1;
        }

        /** Whether (px, py) lies in the central class mark. */
        public boolean inMark(double px, double py) {
            double[] uv = local(px, py);
            return uv[0] * uv[0] + uv[1] * uv[1] <= markScale * markScale;
        }

        double[] local(double px, double py) {
            double dx = px - cx;
            double dy = py - cy;
            double c = Math.cos(theta);
            double s = Math.sin(theta);
            return new double[] {(dx * c + dy * s) / a, (-dx * s + dy * c) / b};
        }
    }

    /** Objects and masks of an image, without pixels (cheap: what {@code samples()} needs). */
    public record Layout(String id, int size, List<ShapeObject> objects, LabelMap mask, byte[] instances,
                         byte[] parts, int[] classes) {
    }

    /** Places the objects of one image. */
    public Layout layout(String split, int index) {
        requireNonNull(split, "split is null");
        int s = config.size();
        Random rng = new Random(mix(config.seed(), split.hashCode(), index, 1));
        byte[] mask = new byte[s * s];
        byte[] inst = new byte[s * s];
        byte[] parts = new byte[s * s];
        List<ShapeObject> placed = new ArrayList<>();
        List<Integer> fullArea = new ArrayList<>();
        List<Integer> visible = new ArrayList<>();
        int n = config.minObjects() + rng.nextInt(config.maxObjects() - config.minObjects() + 1);
        for (int k = 0; k < n; k++) {
            int cls = 1 + rng.nextInt(config.classes());
            for (int attempt = 0; attempt < 60; attempt++) {
                ShapeObject o = sampleObject(rng, cls, s);
                Geometry g = new Geometry(o);
                int[] box = g.box(s);
                int[] covered = new int[placed.size() + 1];
                int area = 0;
                boolean hitsMark = false;
                for (int y = box[1]; y < box[3] && !hitsMark; y++) {
                    for (int x = box[0]; x < box[2]; x++) {
                        if (g.inBody(x + 0.5, y + 0.5)) {
                            int i = y * s + x;
                            area++;
                            if (parts[i] == MARK) {
                                hitsMark = true;
                                break;
                            }
                            covered[inst[i]]++;
                        }
                    }
                }
                if (area == 0 || hitsMark || !keepsHalf(covered, visible, fullArea)) {
                    continue;
                }
                byte id = (byte) (placed.size() + 1);
                for (int y = box[1]; y < box[3]; y++) {
                    for (int x = box[0]; x < box[2]; x++) {
                        if (g.inBody(x + 0.5, y + 0.5)) {
                            int i = y * s + x;
                            mask[i] = (byte) cls;
                            inst[i] = id;
                            parts[i] = g.inMark(x + 0.5, y + 0.5) ? MARK : BODY;
                        }
                    }
                }
                for (int j = 0; j < visible.size(); j++) {
                    visible.set(j, visible.get(j) - covered[j + 1]);
                }
                placed.add(o);
                fullArea.add(area);
                visible.add(area);
                break;
            }
        }
        int[] present = placed.stream().mapToInt(ShapeObject::classId).distinct().sorted().toArray();
        return new Layout(id(split, index), s, List.copyOf(placed), new LabelMap(s, s, mask), inst, parts, present);
    }

    /** Generates one image with its exact mask. */
    public ShapesImage generate(String split, int index) {
        Layout l = layout(split, index);
        int s = l.size();
        int plane = s * s;
        Random rng = new Random(mix(config.seed(), split.hashCode(), index, 2));
        float[] rgb = new float[3 * plane];
        byte[] parts = l.parts().clone();
        background(rng, s, rgb);
        clutter(rng, s, rgb, parts, l.mask());
        int period = Math.max(2, (int) Math.round(s / 24.0));
        double lightAngle = rng.nextDouble() * 2 * Math.PI;
        double lx = Math.cos(lightAngle);
        double ly = Math.sin(lightAngle);
        Geometry[] geo = l.objects().stream().map(Geometry::new).toArray(Geometry[]::new);
        for (int i = 0; i < plane; i++) {
            int inst = l.instances()[i];
            if (inst == 0) {
                continue;
            }
            ShapeObject o = l.objects().get(inst - 1);
            float[] cc = COLOURS[o.classId() - 1];
            int x = i % s;
            int y = i / s;
            if (parts[i] == MARK) {
                float f = pattern(o.classId(), x, y, period) ? 1f : DARK;
                for (int c = 0; c < 3; c++) {
                    rgb[c * plane + i] = cc[c] * f;
                }
            } else {
                Geometry g = geo[inst - 1];
                double shade = 1 + 0.08 * (g.u(x + 0.5, y + 0.5) * lx + g.v(x + 0.5, y + 0.5) * ly);
                float t = (float) config.bodyTint();
                for (int c = 0; c < 3; c++) {
                    float base = BODY_COLOUR[c] * o.brightness();
                    rgb[c * plane + i] = (float) (((1 - t) * base + t * cc[c]) * shade);
                }
            }
        }
        double sigma = config.noise();
        for (int i = 0; i < rgb.length; i++) {
            double v = rgb[i] + (sigma > 0 ? rng.nextGaussian() * sigma : 0);
            rgb[i] = (float) Math.max(0, Math.min(255, Math.rint(v)));
        }
        return new ShapesImage(l.id(), s, rgb, l.mask(), parts, l.instances(), l.objects(), l.classes());
    }

    private ShapeObject sampleObject(Random rng, int cls, int s) {
        double a = s * uniform(rng, config.objectMin(), config.objectMax());
        double b = s * uniform(rng, config.objectMin(), config.objectMax());
        double theta = rng.nextDouble() * Math.PI;
        boolean squircle = rng.nextBoolean();
        double cx = s * uniform(rng, 0.2, 0.8);
        double cy = s * uniform(rng, 0.2, 0.8);
        // same area fraction for either body shape: k² · π = markFraction · area/(a·b)
        double k = Math.sqrt(config.markFraction() * (squircle ? SQUIRCLE_AREA : Math.PI) / Math.PI);
        float brightness = (float) uniform(rng, 0.92, 1.08);
        return new ShapeObject(cls, cx, cy, a, b, theta, squircle, k, brightness);
    }

    /**
     * A new object may overlap earlier ones, but never their marks (checked by the caller: every
     * present class keeps its whole cue visible), and each earlier object keeps at least half of
     * its area.
     */
    private static boolean keepsHalf(int[] covered, List<Integer> visible, List<Integer> fullArea) {
        for (int j = 0; j < visible.size(); j++) {
            if (visible.get(j) - covered[j + 1] < 0.5 * fullArea.get(j)) {
                return false;
            }
        }
        return true;
    }

    /** An object's geometry with its rotation precomputed. */
    private static final class Geometry {
        final ShapeObject o;
        final double c;
        final double s;

        Geometry(ShapeObject o) {
            this.o = o;
            this.c = Math.cos(o.theta());
            this.s = Math.sin(o.theta());
        }

        double u(double px, double py) {
            return ((px - o.cx()) * c + (py - o.cy()) * s) / o.a();
        }

        double v(double px, double py) {
            return (-(px - o.cx()) * s + (py - o.cy()) * c) / o.b();
        }

        boolean inBody(double px, double py) {
            double u = u(px, py);
            double v = v(px, py);
            double u2 = u * u;
            double v2 = v * v;
            return o.squircle() ? u2 * u2 + v2 * v2 <= 1 : u2 + v2 <= 1;
        }

        boolean inMark(double px, double py) {
            double u = u(px, py);
            double v = v(px, py);
            return u * u + v * v <= o.markScale() * o.markScale();
        }

        /** [x0, y0, x1, y1) clipped to the image; the body fits in the circle of radius √(a²+b²). */
        int[] box(int size) {
            double r = Math.sqrt(o.a() * o.a() + o.b() * o.b());
            return new int[] {clip(Math.floor(o.cx() - r), size), clip(Math.floor(o.cy() - r), size),
                clip(Math.ceil(o.cx() + r) + 1, size), clip(Math.ceil(o.cy() + r) + 1, size)};
        }

        private static int clip(double v, int size) {
            return (int) Math.max(0, Math.min(size, v));
        }
    }

    /** Whether pixel (x, y) takes the light tone of class {@code c}'s texture. */
    static boolean pattern(int c, int x, int y, int p) {
        return switch (c) {
            case 1 -> (y / p) % 2 == 0; // horizontal stripes
            case 2 -> ((x / p) + (y / p)) % 2 == 0; // checker board
            case 3 -> { // dots
                double dx = x % (2 * p) - p + 0.5;
                double dy = y % (2 * p) - p + 0.5;
                yield dx * dx + dy * dy <= 0.5 * p * p;
            }
            case 4 -> (x / p) % 2 == 0; // vertical stripes
            case 5 -> ((x + y) / p) % 2 == 0; // diagonal stripes
            default -> ((x - y + 4096 * p) / p) % 2 == 0; // anti-diagonal stripes
        };
    }

    /** A smooth desaturated colour field: a 3×3 grid of colours, smoothstep-interpolated. */
    private static void background(Random rng, int s, float[] rgb) {
        int g = 3;
        float[][] grid = new float[g * g][];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = desaturated(rng, 0.25, 60, 190);
        }
        int plane = s * s;
        for (int y = 0; y < s; y++) {
            double fy = (y + 0.5) / s * (g - 1);
            int y0 = Math.min((int) fy, g - 2);
            double ty = smooth(fy - y0);
            for (int x = 0; x < s; x++) {
                double fx = (x + 0.5) / s * (g - 1);
                int x0 = Math.min((int) fx, g - 2);
                double tx = smooth(fx - x0);
                for (int c = 0; c < 3; c++) {
                    double top = grid[y0 * g + x0][c] * (1 - tx) + grid[y0 * g + x0 + 1][c] * tx;
                    double bottom = grid[(y0 + 1) * g + x0][c] * (1 - tx) + grid[(y0 + 1) * g + x0 + 1][c] * tx;
                    rgb[c * plane + y * s + x] = (float) (top * (1 - ty) + bottom * ty);
                }
            }
        }
    }

    /** A few desaturated ellipses, rectangles and triangles, behind the objects. */
    private void clutter(Random rng, int s, float[] rgb, byte[] parts, LabelMap mask) {
        int m = config.clutter() == 0 ? 0 : 1 + rng.nextInt(config.clutter());
        int plane = s * s;
        for (int k = 0; k < m; k++) {
            int type = rng.nextInt(3);
            double r = s * uniform(rng, 0.05, 0.12);
            double r2 = s * uniform(rng, 0.05, 0.12);
            double cx = s * rng.nextDouble();
            double cy = s * rng.nextDouble();
            double th = rng.nextDouble() * Math.PI;
            float[] col = desaturated(rng, 0.3, 40, 220);
            double c = Math.cos(th);
            double sn = Math.sin(th);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int i = y * s + x;
                    if (mask.get(i) != 0) {
                        continue;
                    }
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    double u = (dx * c + dy * sn) / r;
                    double v = (-dx * sn + dy * c) / r2;
                    boolean in = switch (type) {
                        case 0 -> u * u + v * v <= 1;
                        case 1 -> Math.abs(u) <= 1 && Math.abs(v) <= 1;
                        default -> v >= -0.5 && v <= 1 && Math.abs(u) <= (1 - v) * 0.577;
                    };
                    if (in) {
                        parts[i] = CLUTTER;
                        for (int ch = 0; ch < 3; ch++) {
                            rgb[ch * plane + i] = col[ch];
                        }
                    }
                }
            }
        }
    }

    private static float[] desaturated(Random rng, double saturation, double lo, double hi) {
        double[] c = {uniform(rng, lo, hi), uniform(rng, lo, hi), uniform(rng, lo, hi)};
        double gray = (c[0] + c[1] + c[2]) / 3;
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = (float) (gray + saturation * (c[i] - gray));
        }
        return out;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** SplitMix64-style mixing of the image coordinates into one seed. */
    static long mix(long seed, int split, int index, int stream) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = fmix(h ^ split);
        h = fmix(h ^ ((long) index << 8 | stream));
        return h;
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
