package dev.psa.api.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one config record so its constructor can report them all at once:
 * <pre>{@code
 * Validator v = new Validator("rw.");
 * v.check(beta > 0, "beta", "must be > 0, got " + beta);
 * v.throwIfAny();
 * }</pre>
 */
public final class Validator {
    private final String prefix;
    private final List<String> problems = new ArrayList<>();

    /** @param prefix the key prefix of the record, e.g. {@code "rw."} */
    public Validator(String prefix) {
        this.prefix = prefix;
    }

    /** Records a problem for {@code prefix + key} unless {@code ok}. */
    public Validator check(boolean ok, String key, String message) {
        if (!ok) {
            problems.add(prefix + key + ": " + message);
        }
        return this;
    }

    public Validator positive(double value, String key) {
        return check(value > 0, key, "must be > 0, got " + value);
    }

    public Validator nonNegative(double value, String key) {
        return check(value >= 0, key, "must be >= 0, got " + value);
    }

    public Validator inRange(double value, double lo, double hi, String key) {
        return check(value >= lo && value <= hi, key, "must be in [" + lo + ", " + hi + "], got " + value);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @throws ConfigException listing every problem recorded */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
