package dev.psa.api.config;

import java.util.List;
import dev.psa.api.PsaException;

/** One or more config problems, reported together; each names its key and what was expected. */
public class ConfigException extends PsaException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "config problem: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder(problems.size() + " config problems:");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
