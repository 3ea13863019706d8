import ArgumentParser
import HandoverKit

/// The bounds a reader of a bundle may raise, for a bundle they trust: the guards against
/// decompression bombs (`BagLimits`). The fixed bounds (path and name lengths, depth) have no
/// option: they are what file systems hold.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-expansion"), help: ArgumentHelp(
        "Allow the bundle to expand to RATIO times its archive's size (default \(BagLimits().expansionRatio), beyond the payload its Payload-Oxum declares first).",
        valueName: "RATIO"))
    var maxExpansion: Int64?

    @Option(name: .customLong("max-entries"), help: ArgumentHelp(
        "Allow up to N entries in the bundle (default \(BagLimits().entries), at most \(Self.mostEntries)).", valueName: "N"))
    var maxEntries: Int?

    @Option(name: .customLong("max-empty-folders"), help: ArgumentHelp(
        "Allow up to N folders that hold no file (default \(BagLimits().emptyFolders)).", valueName: "N"))
    var maxEmptyFolders: Int?

    func validate() throws {
        for (value, option) in [(maxExpansion.map(Int.init), "--max-expansion"), (maxEntries, "--max-entries"), (maxEmptyFolders, "--max-empty-folders")] {
            if let value, value < 1 { throw ValidationError("\(option) must be a whole number of at least 1 (found \(value))") }
        }
        // The verifier numbers entries in 32 bits (4 bytes a file in its tables); a bundle that
        // many entries would also need hundreds of gigabytes of memory.
        if let maxEntries, maxEntries > Self.mostEntries {
            throw ValidationError("--max-entries can be at most \(Self.mostEntries) (found \(maxEntries))")
        }
    }

    /// The highest --max-entries: entry numbers are kept in 32 bits.
    static let mostEntries = 2_000_000_000

    /// The default limits, with those given raised (or lowered).
    var limits: BagLimits {
        var limits = BagLimits()
        if let maxExpansion { limits.expansionRatio = maxExpansion }
        if let maxEntries { limits.entries = maxEntries }
        if let maxEmptyFolders { limits.emptyFolders = maxEmptyFolders }
        return limits
    }

    /// Runs `body` with these limits in force for every reading of the bundle it makes.
    func apply<R>(_ body: () throws -> R) throws -> R {
        try BagLimits.$current.withValue(limits, operation: body)
    }

    /// What to pass to go beyond the limit `error` is about, when an option can.
    static func advice(for error: Error) -> String? {
        let limit: BagLimitError.Limit?
        switch error {
        case let error as BagLimitError: limit = error.building ? nil : error.limit
        case let error as BagError: limit = error.limit
        default: limit = nil
        }
        let option: String
        switch limit {
        case .expansion: option = "--max-expansion RATIO"
        case .entries: option = "--max-entries N"
        case .emptyFolders: option = "--max-empty-folders N"
        default: return nil
        }
        return "If you trust this bundle, pass \(option) to allow more."
    }
}

/// A command that reads bundles with `LimitOptions`: its limit errors name the option to raise.
protocol ReadsBundleWithLimits {}
