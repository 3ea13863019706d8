import Glibc

/// Copies one file entry of the bundle into a staged file, checking on the way that its bytes
/// are those verified: the size must not grow past the verified size (reading stops there) and
/// every digest the verification computed must come out the same. A confidential file can be
/// decrypted on the way: the ciphertext is what is checked, the plaintext what is written.
struct EntryCopier {
    /// How to decrypt an entry, and what its plaintext is called.
    struct Decryption {
        var identities: [AgeIdentity]
        /// The file name of the plaintext, whose extension says whether it is a CSV.
        var plaintextName: String
    }

    /// What was written.
    struct Copied {
        var bytes: Int64
        /// The facts of the plaintext (its CSV header), when decrypted.
        var facts: FileFacts?
    }

    let buffer: UnsafeMutableRawBufferPointer

    /// Streams the current entry of `reader` into `fd`. `shown` names the entry in messages.
    func copy(from reader: BundleEntryReader, expected: VerifiedContents.Expected, to fd: Int32, shown: String,
              decryption: Decryption?) throws -> Copied {
        let algorithms = expected.digests.algorithms
        guard !algorithms.isEmpty else {
            throw ExtractError.unsafeEntry(path: shown, reason: "was not checked by the verification, so it is not extracted")
        }
        var hasher = MultiHasher(algorithms)
        var written: Int64 = 0
        let output: AgeSink = { chunk in
            try AgeFile.writeAll(fd, chunk, name: shown)
            written += Int64(chunk.count)
        }
        var inspector: FileInspector?
        var decryptor: AgeDecryptor?
        if let decryption {
            let name = decryption.plaintextName
            inspector = FileInspector(fileName: name, readCSV: name.lowercased().hasSuffix(".csv"), scanSecrets: false)
            decryptor = AgeDecryptor(identities: decryption.identities, subject: shown) { plain in
                inspector?.consume(plain)
                try output(plain)
            }
        }
        // A decryption error is kept until the end: if the ciphertext is not the one verified,
        // that is the error to report, not what decrypting it gave.
        var decryptionError: Error?
        var total: Int64 = 0
        while true {
            let count = try reader.readData(into: buffer)
            if count <= 0 { break }
            total += Int64(count)
            guard total <= expected.size else {
                throw ExtractError.changedSinceVerification(path: shown, reason: "is larger than when it was verified (\(expected.size) bytes)")
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            if let decryptor {
                guard decryptionError == nil else { continue }
                do { try decryptor.update(chunk) } catch { decryptionError = error }
            } else {
                try output(chunk)
            }
        }
        guard total == expected.size else {
            throw ExtractError.changedSinceVerification(path: shown, reason: "has \(total) bytes, not the \(expected.size) verified")
        }
        let digests = hasher.finalize()
        for algorithm in algorithms {
            guard let verified = expected.digests[algorithm] else {
                throw ExtractError.changedSinceVerification(path: shown, reason: "could not be checked: verification recorded no \(algorithm.rawValue) checksum for it")
            }
            if digests[algorithm] != verified {
                throw ExtractError.changedSinceVerification(path: shown, reason: "is not the file verified (its \(algorithm.rawValue) checksum differs)")
            }
        }
        if let decryptor {
            if let decryptionError { throw decryptionError }
            try decryptor.finish()
        }
        return Copied(bytes: written, facts: inspector?.finish())
    }

    /// Sets a staged file's modification time to the entry's, then closes it (reporting the
    /// late write errors close can give).
    static func finish(_ fd: Int32, modified: Int64?, shown: String) throws {
        if let modified {
            var times = [timespec(tv_sec: Int(modified), tv_nsec: 0), timespec(tv_sec: Int(modified), tv_nsec: 0)]
            futimens(fd, &times)
        }
        guard close(fd) == 0 else { throw FileError.fromErrno(shown, "cannot write") }
    }
}
