package dev.psa.cam;

import static java.util.Objects.requireNonNull;

/**
 * One image a stage could not process (recorded, reported, and skipped; CONTRACTS.md
 * {@code failures.json}).
 *
 * @param id     the image id
 * @param stage  {@code cams}, {@code seeds}, …
 * @param reason what went wrong, naming the file
 */
public record ImageFailure(String id, String stage, String reason) {
    public ImageFailure {
        requireNonNull(id, "id is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(reason, "reason is null");
    }

    /** The failure as one JSON object {@code {"id":…, "stage":…, "reason":…}}. */
    public String toJson() {
        return "{\"id\": " + json(id) + ", \"stage\": " + json(stage) + ", \"reason\": " + json(reason) + "}";
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
