import Foundation
import Glibc

/// `extract --fetch`: the remote payload downloaded into extract's staging folder, each byte
/// hashed as it arrives. A file is kept staged only when it was checked whole; what is placed in
/// DIR is decided by the verdict once every file is in, as for the bundle's own files.
enum FetchExtraction {
    /// Downloads every remote file into `destination`'s staging folder and applies what was
    /// found to `verification`. Returns the files staged (all of them only when all were checked).
    static func stage(_ verification: inout VerifiedBundle, into destination: ExtractDestination,
                      configuration: ObjectStoreConfiguration, options: FetchVerification.Options) throws -> StagedFiles {
        let files = RemotePayload.files(of: verification.bag)
        for file in files {
            guard let parts = ExtractPaths.components(file.path), parts.allSatisfy({ $0.count <= BagLimits.current.nameBytes }) else {
                throw ExtractError.unsafeEntry(path: file.displayPath, reason: "is a path fetch.txt gives that no file system here can hold")
            }
        }
        let staging = Staging(destination: destination)
        var run = FetchRun.Options()
        run.jobs = options.jobs
        let total = files.reduce(Int64(0)) { $0 + ($1.length ?? 0) }
        run.progress = options.progress.map { progress in { (done: Int64) in progress(done, total) } }
        run.fileDone = { _, result in options.fileDone?(result, true) }
        run.sink = { file in try staging.create(file) }
        let results: [RemoteResult]
        do {
            results = try FetchRun.run(files, configuration: configuration, options: run)
        } catch {
            staging.discardAll()
            throw error
        }
        let byPath = Dictionary(results.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        verification.apply(RemoteCheck(scope: .whole, entries: files.map { ($0, byPath[$0.displayPath]) }, outOfScope: 0))
        return staging.kept
    }

    /// The staged files of the run, behind one lock (the threads share the destination).
    private final class Staging: @unchecked Sendable {
        let destination: ExtractDestination
        private let lock = NSLock()
        private(set) var kept = StagedFiles()

        init(destination: ExtractDestination) { self.destination = destination }

        func create(_ file: RemoteFile) throws -> FetchSink {
            let (fd, id) = try lock.withLock { try destination.createStaged(mode: 0o644) }
            return StagedFile(fd: fd, id: id, path: ExtractPaths.canonical(file.path) ?? [], shown: file.displayPath, owner: self)
        }

        func finished(_ file: StagedFile, keep: Bool) {
            lock.withLock {
                if keep { kept.append(path: file.path, staged: file.id) } else { destination.discardStaged(file.id) }
            }
        }

        func discardAll() {
            lock.withLock {
                for index in 0..<kept.count { destination.discardStaged(kept.staged(index)) }
                kept = StagedFiles()
            }
        }
    }

    /// One remote file being written into the staging folder.
    private final class StagedFile: FetchSink {
        let fd: Int32
        let id: Int
        let path: [UInt8]
        let shown: String
        unowned let owner: Staging
        private(set) var problem: String?

        init(fd: Int32, id: Int, path: [UInt8], shown: String, owner: Staging) {
            self.fd = fd
            self.id = id
            self.path = path
            self.shown = shown
            self.owner = owner
        }

        func write(_ bytes: UnsafeRawBufferPointer) {
            guard problem == nil, var base = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = Glibc.write(fd, base, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    problem = "cannot be written to the staging folder: \(String(cString: strerror(errno)))"
                    return
                }
                left -= written
                base += written
            }
        }

        func finish(_ result: RemoteResult) throws {
            do {
                try EntryCopier.finish(fd, modified: nil, shown: shown)
            } catch {
                if problem == nil { problem = "cannot be written to the staging folder" }
            }
            owner.finished(self, keep: result.state == .checked && problem == nil)
            if let problem { throw FileError(path: shown, reason: problem) }
        }
    }
}
