package org.dstoken;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Words an error from its parts: the reason's template of schema/dstoken.json with this API's
 * spelling of the arguments. Formats: {@code :time} unix seconds as RFC 3339 UTC,
 * {@code :span} seconds as {@code 1 d 2 h 3 min 4 s}, {@code :type} a JSON type's text.
 */
final class Messages {
    private Messages() {}

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Whether the reason's template (and so its time) involves {@code {time}}. */
    static boolean usesTime(Reason reason) {
        return reason.template().contains("{time");
    }

    static String format(DstokenException e) {
        String t = e.getReason() == Reason.NONE ? e.getStatus().cName() : e.getReason().template();
        StringBuilder out = new StringBuilder(t.length() + 32);
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            int close = c == '{' ? t.indexOf('}', i) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String field = t.substring(i + 1, close);
            String fmt = "";
            int colon = field.indexOf(':');
            if (colon >= 0) {
                fmt = field.substring(colon + 1);
                field = field.substring(0, colon);
            }
            out.append(part(e, field, fmt));
            i = close + 1;
        }
        return out.toString();
    }

    private static String part(DstokenException e, String field, String fmt) {
        long n;
        switch (field) {
            case "arg": return e.getArgument().spelling();
            case "other": return e.getOther().spelling();
            case "name": return e.getClaimName();
            case "text": return e.getText();
            case "value": n = e.getValue(); break;
            case "limit": n = e.getLimit(); break;
            case "time": n = e.getTimeSeconds(); break;
            case "suggested": n = e.getSuggested(); break;
            default: return "{" + field + "}";
        }
        switch (fmt) {
            case "time": return time(n);
            case "span": return span(n);
            case "type": return n >= 0 && n < Reason.TYPES.length ? Reason.TYPES[(int) n] : "type " + n;
            default: return Long.toString(n);
        }
    }

    /** Unix seconds as RFC 3339 UTC ({@code 2026-01-01T00:00:00Z}); beyond year 9999 the number. */
    static String time(long seconds) {
        if (seconds < -62135596800L || seconds > 253402300799L) {
            return Long.toString(seconds);
        }
        return RFC3339.format(Instant.ofEpochSecond(seconds));
    }

    /** Seconds as {@code 1 d 2 h 3 min 4 s}, leading zero units left out, seconds always. */
    static String span(long seconds) {
        long s = Math.abs(seconds);
        long[] parts = {s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60};
        String[] units = {"d", "h", "min", "s"};
        StringBuilder out = new StringBuilder(seconds < 0 ? "-" : "");
        boolean started = false;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] > 0 || started || i == parts.length - 1) {
                out.append(started ? " " : "").append(parts[i]).append(' ').append(units[i]);
                started = true;
            }
        }
        return out.toString();
    }
}
