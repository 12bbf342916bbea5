package heromgr.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound of a log window (--since / --until, service.logs' since and until), in the subset of journalctl's forms a
 * person types: "now", "today", "yesterday", a time ago ("10m", "2h", "90s", "3d", "1w", optionally "10m ago" or
 * "-10m"), a local date and time ("2026-12-05 14:30[:15]", "2026-12-05", "14:30[:15]" today) or an ISO instant
 * with its offset ("2026-12-05T13:30:00Z"). The API takes only the last and the time ago (a local time is the
 * client's, so the CLI turns it into an instant first).
 */
public final class TimeBound {
    private static final Pattern AGO = Pattern.compile("-?(\\d{1,9})\\s*(s|m|h|d|w)(\\s+ago)?");
    private static final Pattern LOCAL_TIME = Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2})?");

    private TimeBound() {
    }

    /** The instant text names, or an IllegalArgumentException naming the forms understood. */
    public static Instant parse(String text, Instant now, ZoneId zone) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Instant ago = ago(t, now);
        if (ago != null) return ago;
        try {
            return switch (t) {
                case "now" -> now;
                case "today" -> LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
                case "yesterday" -> LocalDate.ofInstant(now, zone).minusDays(1).atStartOfDay(zone).toInstant();
                default -> absolute(text.strip(), now, zone);
            };
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use e.g. 10m, 2h, 3d (ago), today, yesterday, "
                    + "14:30, 2026-12-05 14:30 (local) or 2026-12-05T13:30:00Z");
        }
    }

    /** The API's subset: a time ago or an ISO instant with its offset. */
    public static Instant parseForApi(String text, Instant now) {
        Instant ago = ago(text.strip().toLowerCase(Locale.ROOT), now);
        return ago != null ? ago : OffsetDateTime.parse(text.strip()).toInstant();
    }

    private static Instant ago(String t, Instant now) {
        Matcher m = AGO.matcher(t);
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        Duration unit = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
        return now.minus(unit.multipliedBy(n));
    }

    private static Instant absolute(String t, Instant now, ZoneId zone) {
        if (LOCAL_TIME.matcher(t).matches()) {
            return LocalDate.ofInstant(now, zone).atTime(LocalTime.parse(t.indexOf(':') == 1 ? "0" + t : t)).atZone(zone).toInstant();
        }
        if (t.length() == 10) return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:\\d{2}")) return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
        return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
    }
}
