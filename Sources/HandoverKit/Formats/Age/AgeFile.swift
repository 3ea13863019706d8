import Foundation

/// Encrypts and decrypts between file descriptors or paths, streaming in 64 KiB pieces: what
/// `handover build` does for confidential deliverables and `handover extract --identity` undoes.
package enum AgeFile {
    /// The size of each read; with the one chunk an encryptor or decryptor holds, this bounds the
    /// memory used whatever the size of the file.
    static let readSize = 64 * 1024

    /// Reads into the buffer and returns the count, 0 at the end: a file descriptor, or a
    /// bundle entry (`BundleEntryReader.readData(into:)`).
    package typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

    /// Encrypts everything `read` gives until its end for `recipients`, into `sink`.
    package static func encrypt(reading read: Source, for recipients: [AgeRecipient], into sink: @escaping AgeSink) throws {
        let encryptor = try AgeEncryptor(recipients: recipients, sink: sink)
        try pump(read) { try encryptor.update($0) }
        try encryptor.finish()
    }

    /// Decrypts the age file that `read` gives with `identities`, into `sink`. `subject` names
    /// the file in messages.
    ///
    /// On error, some authentic plaintext may already have gone to the sink: the caller discards it.
    package static func decrypt(
        reading read: Source, with identities: [AgeIdentity], subject: String = "the age file",
        into sink: @escaping AgeSink
    ) throws {
        let decryptor = AgeDecryptor(identities: identities, subject: subject, sink: sink)
        try pump(read) { try decryptor.update($0) }
        try decryptor.finish()
    }

    /// Encrypts everything `input` holds until its end for `recipients`, writing the age file to
    /// `output`. The names are used in messages.
    package static func encrypt(
        from input: Int32, to output: Int32, for recipients: [AgeRecipient],
        inputName: String = "the input", outputName: String = "the output"
    ) throws {
        try encrypt(reading: { try readSome(input, into: $0, name: inputName) }, for: recipients) {
            try writeAll(output, $0, name: outputName)
        }
    }

    /// Decrypts the age file read from `input` with `identities`, writing the plaintext to
    /// `output`. `subject` names the file in messages.
    ///
    /// On error, some authentic plaintext may already have been written: the caller discards it.
    package static func decrypt(
        from input: Int32, to output: Int32, with identities: [AgeIdentity],
        subject: String = "the age file", outputName: String = "the output"
    ) throws {
        try decrypt(reading: { try readSome(input, into: $0, name: subject) }, with: identities, subject: subject) {
            try writeAll(output, $0, name: outputName)
        }
    }

    /// Encrypts the file at `inputPath` into a new file at `outputPath` (which must not exist).
    package static func encrypt(fileAt inputPath: String, to outputPath: String, for recipients: [AgeRecipient]) throws {
        try withFiles(inputPath, outputPath, permissions: 0o644) { input, output in
            try encrypt(from: input, to: output, for: recipients, inputName: inputPath, outputName: outputPath)
        }
    }

    /// Decrypts the age file at `inputPath` into a new file at `outputPath` (which must not
    /// exist, and is created readable by its owner only). Nothing is left there on error.
    package static func decrypt(fileAt inputPath: String, to outputPath: String, with identities: [AgeIdentity]) throws {
        try withFiles(inputPath, outputPath, permissions: 0o600) { input, output in
            try decrypt(from: input, to: output, with: identities, subject: inputPath, outputName: outputPath)
        }
    }

    /// Opens `inputPath`, creates `outputPath` exclusively, runs `body`, and removes the output
    /// if `body` fails.
    private static func withFiles(
        _ inputPath: String, _ outputPath: String, permissions: mode_t, _ body: (Int32, Int32) throws -> Void
    ) throws {
        let input = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileError.fromErrno(inputPath, "cannot open") }
        defer { close(input) }
        let output = open(outputPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard output >= 0 else {
            throw FileError.fromErrno(outputPath, errno == EEXIST ? "refusing to overwrite" : "cannot create")
        }
        do {
            try body(input, output)
        } catch {
            close(output)
            unlink(outputPath)
            throw error
        }
        // close reports late write errors (a full disk on some file systems).
        guard close(output) == 0 else {
            let error = FileError.fromErrno(outputPath, "cannot write")
            unlink(outputPath)
            throw error
        }
    }

    /// Calls `body` with each piece `read` gives until it returns 0.
    private static func pump(_ read: Source, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(buffer)
            guard count > 0 else { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<min(count, buffer.count)]))
        }
    }

    /// One read(2) from `fd`, retried when a signal interrupts it.
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, name: String) throws -> Int {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileError.fromErrno(name, "cannot read") }
        }
    }

    /// Writes all of `bytes` to `fd`, however many calls it takes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(name, "cannot write")
            }
            offset += count
        }
    }
}
