import Foundation

/// Encrypts and decrypts between file descriptors or paths, streaming in 64 KiB pieces: what
/// `handover build` does for confidential deliverables and `handover extract --identity` undoes.
public enum AgeFile {
    /// The size of each read; with the one chunk an encryptor or decryptor holds, this bounds the
    /// memory used whatever the size of the file.
    static let readSize = 64 * 1024

    /// Encrypts everything `input` holds until its end for `recipients`, writing the age file to
    /// `output`. The names are used in messages.
    public static func encrypt(
        from input: Int32, to output: Int32, for recipients: [AgeRecipient],
        inputName: String = "the input", outputName: String = "the output"
    ) throws {
        let encryptor = try AgeEncryptor(recipients: recipients) { try writeAll(output, $0, name: outputName) }
        try readAll(input, name: inputName) { try encryptor.update($0) }
        try encryptor.finish()
    }

    /// Decrypts the age file read from `input` with `identities`, writing the plaintext to
    /// `output`. `subject` names the file in messages.
    ///
    /// On error, some authentic plaintext may already have been written: the caller discards it.
    public static func decrypt(
        from input: Int32, to output: Int32, with identities: [AgeIdentity],
        subject: String = "the age file", outputName: String = "the output"
    ) throws {
        let decryptor = AgeDecryptor(identities: identities, subject: subject) {
            try writeAll(output, $0, name: outputName)
        }
        try readAll(input, name: subject) { try decryptor.update($0) }
        try decryptor.finish()
    }

    /// Encrypts the file at `inputPath` into a new file at `outputPath` (which must not exist).
    public static func encrypt(fileAt inputPath: String, to outputPath: String, for recipients: [AgeRecipient]) throws {
        try withFiles(inputPath, outputPath, permissions: 0o644) { input, output in
            try encrypt(from: input, to: output, for: recipients, inputName: inputPath, outputName: outputPath)
        }
    }

    /// Decrypts the age file at `inputPath` into a new file at `outputPath` (which must not
    /// exist, and is created readable by its owner only). Nothing is left there on error.
    public static func decrypt(fileAt inputPath: String, to outputPath: String, with identities: [AgeIdentity]) throws {
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
            guard close(output) == 0 else { throw FileError.fromErrno(outputPath, "cannot write") }
        } catch {
            close(output)
            unlink(outputPath)
            throw error
        }
    }

    /// Calls `body` with each piece read from `fd` until its end.
    static func readAll(_ fd: Int32, name: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, readSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(name, "cannot read")
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
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
