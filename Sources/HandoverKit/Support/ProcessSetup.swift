import Foundation

/// What the process sets once, at start, before any other thread runs: the environment that
/// libarchive reads. Changing it later (setenv, tzset) races with threads that read it.
public enum ProcessSetup {
    /// The user's own time zone, taken before `prepare()` sets the process to UTC: OpenSSH reads
    /// an allowed_signers time without `Z` in local time, and so must we.
    static let userTimeZone: TimeZone = TimeZone.current

    /// Sets a UTF-8 locale (libarchive crashes on non-ASCII names in the C locale) and the UTC
    /// time zone (zip stores each entry's time as local time: UTC makes the bytes the same on
    /// every machine, as SOURCE_DATE_EPOCH promises). Call it first thing in `main`.
    public static func prepare() {
        _ = userTimeZone
        setlocale(LC_ALL, "C.UTF-8")
        setenv("TZ", "UTC0", 1)
        tzset()
    }
}
