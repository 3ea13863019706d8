import Glibc

/// A path, or one name of it, as the file system holds it: bytes, not a `String`, so that a name
/// that is not UTF-8 survives a walk, an archive and an extraction unchanged.
///
/// It is the one place where path bytes become the NUL-terminated string a system call or
/// libarchive takes. A NUL byte inside would cut that string short and name another file, so a
/// `BytePath` never holds one: making it from such bytes throws, and the system-call helper
/// fails the call as the kernel would (`EINVAL`) without making it.
struct BytePath: Hashable, Sendable {
    /// Bytes that cannot be a path: one of them is NUL.
    struct Failure: HandoverError, Equatable {
        /// The path as messages show it (a NUL shown as `\0`).
        let shown: String

        var errorDescription: String? { "\(shown): holds a NUL byte, which no file name can hold" }
    }

    /// The path's bytes, never a NUL among them.
    let bytes: [UInt8]

    /// The path made of `bytes`; throws when one of them is NUL.
    init(_ bytes: some Sequence<UInt8>) throws(Failure) {
        let bytes = Array(bytes)
        guard !bytes.contains(0) else { throw Failure(shown: Self.shown(bytes)) }
        self.bytes = bytes
    }

    /// The path spelled by `text`, as UTF-8.
    init(_ text: String) throws(Failure) {
        try self.init(text.utf8)
    }

    private static func shown(_ bytes: [UInt8]) -> String {
        bytes.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
            .joined(separator: "\\0")
    }

    /// The path as messages show it.
    var shown: String { String(decoding: bytes, as: UTF8.self) }

    /// `self/name`: a name (or a relative path) joined below this path; just `name` when this
    /// path is empty.
    func appending(_ name: BytePath) -> BytePath {
        guard !bytes.isEmpty else { return name }
        guard !name.bytes.isEmpty else { return self }
        return BytePath(unchecked: bytes.last == UInt8(ascii: "/") ? bytes + name.bytes : bytes + [UInt8(ascii: "/")] + name.bytes)
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Calls `body` with the path as a NUL-terminated C string, valid only inside `body`.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                // A buffer made of at least one byte always has a base address.
                guard let base = chars.baseAddress else { preconditionFailure("empty C string buffer") }
                return try body(base)
            }
        }
    }

    /// A system call on the path `bytes` (`openat`, `fstatat`, `unlinkat`, `mkdirat`...), which
    /// returns -1 and sets `errno` on failure. Bytes that hold a NUL fail the same way, with
    /// `EINVAL`, and the call is not made, so a caller's usual `errno` handling reports them.
    static func call<R: SignedInteger>(_ bytes: some Sequence<UInt8>, _ body: (UnsafePointer<CChar>) -> R) -> R {
        guard let path = try? BytePath(bytes) else {
            errno = EINVAL
            return -1
        }
        return path.withCString(body)
    }
}
