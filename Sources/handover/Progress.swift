import ArgumentParser
import Foundation
import HandoverKit

/// `--quiet` and `--verbose`, shared by the commands that do long work (build, verify, report,
/// and extract: add `@OptionGroup var verbosity: OutputOptions` to its command).
///
/// - normal: a progress line on a terminal, then the summary;
/// - `--quiet`: no progress and no summary on stdout, only errors and warnings on stderr (the
///   exit status says the outcome; warnings stay because they are things to act on);
/// - `--verbose`: the summary, and every file listed on stdout as it is processed.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only errors and warnings (on stderr); the exit status tells the outcome.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also list every file on stdout as it is processed.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together; choose one") }
    }
}

/// One line on stderr that shows how far long work has gone: percentage, bytes done, throughput
/// and time left, redrawn at most ten times a second and erased at the end. It is only drawn when
/// stderr is a terminal (and not with --quiet): into a pipe or a file nothing is written, so
/// logs and scripts see only the final summary.
///
/// Wiring a command (this is all extract needs):
/// ```
/// let progress = ProgressLine(verb: "Extracting", verbosity: verbosity)
/// options.progress = { done, total in progress.update(done: done, total: total) }
/// defer { progress.finish() }
/// ```
final class ProgressLine {
    let verb: String
    /// Whether the line is drawn at all.
    let isActive: Bool
    let verbose: Bool
    private let start: Double
    private var lastDraw = -1.0
    private var drawn = false
    private var done: Int64 = 0
    private var total: Int64?
    /// Recent (time, bytes) points; the throughput is measured over the last few seconds so that
    /// it follows changes of speed (a slow disk, a big compressible file).
    private var samples: [(time: Double, bytes: Int64)] = []

    static let interval = 0.1
    static let window = 5.0

    init(verb: String, verbosity output: OutputOptions, isTerminal: Bool = ProgressLine.stderrIsTerminal) {
        self.verb = verb
        verbose = output.verbose
        isActive = isTerminal && !output.quiet
        start = ProgressLine.now()
    }

    /// Whether stderr is a terminal that can redraw a line (not TERM=dumb).
    static var stderrIsTerminal: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Records progress; redraws when a tenth of a second has passed since the last drawing.
    func update(done: Int64, total: Int64?) {
        self.done = done
        self.total = total.flatMap { $0 > 0 ? $0 : nil }
        guard isActive else { return }
        let now = ProgressLine.now()
        guard now - lastDraw >= ProgressLine.interval else { return }
        lastDraw = now
        samples.append((now, done))
        while let first = samples.first, now - first.time > ProgressLine.window, samples.count > 2 { samples.removeFirst() }
        draw(line(now: now))
    }

    /// With --verbose, prints `text` on stdout as its own line, above the progress line.
    func file(_ text: String) {
        guard verbose else { return }
        erase()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
        if isActive && lastDraw >= 0 { draw(line(now: ProgressLine.now())) }
    }

    /// Erases the line; call it before printing anything else, and at the end.
    func finish() {
        erase()
    }

    /// "Packing   42% [########··········]  1.2 GB of 2.9 GB  180 MB/s  0:09 left"
    func line(now: Double) -> String {
        let rate = throughput(now: now)
        var parts = [verb.padding(toLength: max(10, verb.count), withPad: " ", startingAt: 0)]
        if let total {
            let fraction = min(1, max(0, Double(done) / Double(total)))
            let percent = String(Int(fraction * 100))
            let filled = Int(fraction * 20)
            parts.append(String(repeating: " ", count: 3 - min(3, percent.count)) + percent + "% ["
                         + String(repeating: "#", count: filled) + String(repeating: "·", count: 20 - filled) + "]")
            parts.append("\(ByteCount.format(done)) of \(ByteCount.format(total))")
        } else {
            parts.append(ByteCount.format(done))
        }
        if let rate, rate > 0 {
            parts.append("\(ByteCount.format(Int64(rate)))/s")
            if let total, total > done {
                parts.append("\(ProgressLine.duration(Double(total - done) / rate)) left")
            }
        }
        return parts.joined(separator: "  ")
    }

    /// Bytes per second over the recent window, or since the start for the first seconds.
    func throughput(now: Double) -> Double? {
        if let first = samples.first, now - first.time >= 1 {
            return Double(done - first.bytes) / (now - first.time)
        }
        let elapsed = now - start
        return elapsed >= 0.2 ? Double(done) / elapsed : nil
    }

    /// 0:09, 3:20, 1:02:03.
    static func duration(_ seconds: Double) -> String {
        let total = Int(min(seconds, 359_999).rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    private func draw(_ text: String) {
        // Never wider than the terminal: a wrapped line cannot be redrawn in place.
        let width = ProgressLine.columns() - 1
        let shown = text.count > width ? String(text.prefix(max(0, width))) : text
        write("\r" + shown + "\u{1B}[K")
        drawn = true
    }

    private func erase() {
        guard drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
