package dev.psa.eval.report.internal;

import java.util.Base64;

/** Small HTML helpers: escaping and data URIs. */
public final class Html {
    private Html() {
    }

    /** Escapes text for element content and attribute values. */
    public static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A {@code data:image/png;base64,…} URI. */
    public static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** An {@code <img>} tag with a PNG data URI. */
    public static String img(byte[] png, String alt, String cls) {
        return "<img class=\"" + esc(cls) + "\" alt=\"" + esc(alt) + "\" src=\"" + pngDataUri(png) + "\">";
    }

    /** An {@code <img>} tag with a {@code data:image/jpeg;base64,…} URI. */
    public static String jpegImg(byte[] jpeg, String alt, String cls) {
        return "<img class=\"" + esc(cls) + "\" alt=\"" + esc(alt) + "\" src=\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg) + "\">";
    }
}
