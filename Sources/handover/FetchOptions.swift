import ArgumentParser
import Foundation
import HandoverKit

/// The options of `verify --fetch` and `verify --merge`: the remote payload of a holey bundle
/// (files of fetch.txt kept in object storage) read and hashed where it lies.
struct FetchOptions: ParsableArguments {
    @Flag(help: "Read every file fetch.txt lists from object storage (s3://), hash it and compare it with the manifests and fetch.txt's size; nothing is written to disk.")
    var fetch = false

    @Option(help: ArgumentHelp("Parallel transfers with --fetch, each its own connection.", valueName: "n"))
    var jobs = 4

    @Option(help: ArgumentHelp("With --fetch, check only shard K of N of the remote payload (balanced by bytes, the same on every machine); give --result too.", valueName: "K/N"))
    var shard: String?

    @Option(name: .customLong("result"), help: ArgumentHelp("With --fetch, write what was checked to FILE (JSON), for --merge.", valueName: "file"))
    var resultPath: String?

    @Option(help: ArgumentHelp("With --fetch, keep the progress in FILE as it goes, and continue from it when it exists: objects already checked are not read again.", valueName: "file"))
    var resume: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Give the verdict from the part files of every shard (--shard K/N --result FILE), instead of fetching.", valueName: "part"))
    var merge: [String] = []

    func validate() throws {
        if !fetch {
            if shard != nil || resultPath != nil || resume != nil { throw ValidationError("--shard, --result and --resume go with --fetch") }
        } else if !merge.isEmpty {
            throw ValidationError("--merge gives the verdict from part files already written: use it without --fetch")
        }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs takes a number from 1 to 64") }
        if let shard {
            guard Shard(shard) != nil else { throw ValidationError("--shard takes K/N, shard K of N, with 1 ≤ K ≤ N ≤ \(ShardPlan.maximumCount) (for example 2/3)") }
            guard resultPath != nil else { throw ValidationError("--shard needs --result FILE: the part file --merge reads") }
        }
    }

    /// Whether the remote payload is to be judged at all.
    var isActive: Bool { fetch || !merge.isEmpty }

    /// Fetches or merges, and applies what was found to `result`.
    func apply(to result: inout VerifiedBundle, verbosity: OutputOptions) throws {
        if !merge.isEmpty {
            try FetchVerification.merge(&result, parts: merge)
            return
        }
        guard fetch else { return }
        var options = FetchVerification.Options()
        options.jobs = jobs
        options.shard = shard.flatMap { Shard($0) }
        options.resultPath = resultPath
        options.statePath = resume
        let progress = ProgressLine(verb: "Fetching", verbosity: verbosity)
        defer { progress.finish() }
        if progress.isActive { options.progress = { done, total in progress.update(done: done, total: total) } }
        if verbosity.verbose {
            options.fileDone = { file, read in
                progress.file("\(read ? "fetched" : "resumed")  \(file.path)  \(file.size.map { ByteCount.format($0) } ?? "-")  \(file.state.rawValue)")
            }
        }
        try FetchVerification.check(&result, configuration: ObjectStoreOptions.configuration(), options: options)
    }
}
