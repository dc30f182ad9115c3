package dev.lb.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML stdout callback prints a scalar that holds a double quote in single quotes, doubling any single quote
 * inside ({@code msg: 'LB_EVENT {"message": "it''s"}'}). The payload is then raw JSON except for those doubled
 * quotes, so only lines of that shape that contain {@code ''} need unquoting.
 */
final class YamlSingleQuoted {
    /** Indentation, list dashes, an optional key (plain, double- or single-quoted), then the opening quote. */
    private static final Pattern START = Pattern.compile(
            "^[ ]*(?:-[ ]+)*(?:(?:[^\\s'\"#\\-\\[{][^'\"]*?|\"(?:[^\"\\\\]|\\\\.)*+\"|'(?:[^']|'')*+'):[ ]+)?'");
    private static final int KEY_WINDOW = 512;

    private YamlSingleQuoted() {
    }

    /** The scalar's text when the whole line is one single-quoted YAML scalar with doubled quotes; else the line. */
    static String unquote(String line) {
        // The closing quote first: a look at the line's end rules out nearly every line without a search through it.
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        if (end == 0 || line.charAt(end - 1) != '\'' || line.indexOf("''") < 0) {
            return line;
        }
        Matcher m = START.matcher(line);
        m.region(0, Math.min(line.length(), KEY_WINDOW));
        if (!m.lookingAt() || end <= m.end()) {
            return line;
        }
        String body = line.substring(m.end(), end - 1);
        // Inside a single-quoted scalar every quote is doubled; a lone one means this was not such a scalar.
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '\'') {
                if (i + 1 >= body.length() || body.charAt(i + 1) != '\'') {
                    return line;
                }
                i++;
            }
        }
        return body.replace("''", "'");
    }
}
