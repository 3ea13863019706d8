import Foundation
import Glibc
import HandoverKit

/// A small bag written by a test into a folder, valid unless a case changes it.
///
/// The manifests, Payload-Oxum and tag manifests are computed from what is written, in the
/// declared encoding, so a case changes only the one thing its rule is about.
struct BagFixture: Sendable {
    var payload: [(path: [UInt8], bytes: [UInt8])] = [(Array("data/hello.txt".utf8), Array("Hello, handover\n".utf8))]
    var algorithms: [ChecksumAlgorithm] = [.sha512]
    /// bagit.txt's bytes; nil writes none.
    var declaration: [UInt8]? = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)
    var encoding: TagFileEncoding = .utf8
    /// bag-info.txt's fields; Payload-Oxum is added unless `oxum` is set.
    var bagInfo: [(String, String)] = [("Source-Organization", "Infogérance Ouest SAS"), ("Bagging-Date", "2026-12-31")]
    var oxum: String?
    var bagInfoByteOrderMark = false
    /// The metadata file's name: package-info.txt in the drafts up to 0.95.
    var bagInfoName = "bag-info.txt"
    /// Whether Payload-Oxum is written (the old drafts had none).
    var writesOxum = true
    /// Between checksum and path in payload manifests (two spaces, as md5sum writes).
    var manifestSeparator = "  "
    /// Payload manifests of algorithms handover does not compute, by OpenSSL digest name
    /// ("sha3-256", "blake2b512"), their digests computed by `openssl dgst`.
    var foreignAlgorithms: [String] = []
    /// Written before the path of every payload manifest line ("./").
    var pathPrefix = ""
    /// Lines added to the first payload manifest, as UTF-8 text.
    var extraManifestLines: [String] = []
    /// Payload files written but not listed (so the manifests describe the others).
    var unlisted: Set<[UInt8]> = []
    var fetch: String?
    var tagManifests = true
    /// Runs after everything is written, on the bag folder's path.
    var afterWriting: @Sendable (String) throws -> Void = { _ in }

    static func digest(_ bytes: [UInt8], _ algorithm: ChecksumAlgorithm) -> String {
        var hasher = MultiHasher([algorithm])
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()[algorithm] ?? ""
    }

    /// Writes the bag into `root` (which must exist).
    func write(to root: String) throws {
        let listed = payload.filter { !unlisted.contains($0.path) }
        for file in payload { try RawFiles.write(root, file.path, file.bytes) }
        try RawFiles.makeFolder(root, Array("data".utf8))
        var tagFiles: [[UInt8]] = []
        if let declaration {
            try RawFiles.write(root, Array("bagit.txt".utf8), declaration)
            tagFiles.append(Array("bagit.txt".utf8))
        }
        for (index, algorithm) in algorithms.enumerated() {
            var text: [UInt8] = []
            for file in listed {
                let checksum = Self.digest(file.bytes, algorithm)
                let line = BagManifestWriter.line(checksum: checksum, path: Array(pathPrefix.utf8) + file.path)
                text += Array((checksum + manifestSeparator).utf8) + line.dropFirst(checksum.utf8.count + 2)
            }
            if index == 0 { for line in extraManifestLines { text += Array((line + "\n").utf8) } }
            let name = Array("manifest-\(algorithm.rawValue).txt".utf8)
            try RawFiles.write(root, name, Self.encode(text, encoding))
            tagFiles.append(name)
        }
        for name in foreignAlgorithms {
            var text: [UInt8] = []
            for file in listed {
                text += BagManifestWriter.line(checksum: try Self.opensslDigest(name, root: root, file.path), path: file.path)
            }
            let manifest = Array("manifest-\(Self.bagItName(name)).txt".utf8)
            try RawFiles.write(root, manifest, text)
            tagFiles.append(manifest)
        }
        var info = bagInfo.map { "\($0.0): \($0.1)\n" }.joined()
        let octets = listed.reduce(0) { $0 + $1.bytes.count }
        if writesOxum { info += "Payload-Oxum: \(oxum ?? "\(octets).\(listed.count)")\n" }
        let infoBytes = (bagInfoByteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Self.encode(Array(info.utf8), encoding)
        try RawFiles.write(root, Array(bagInfoName.utf8), infoBytes)
        tagFiles.append(Array(bagInfoName.utf8))
        if let fetch {
            try RawFiles.write(root, Array("fetch.txt".utf8), Self.encode(Array(fetch.utf8), encoding))
            tagFiles.append(Array("fetch.txt".utf8))
        }
        if tagManifests {
            for algorithm in algorithms {
                var text: [UInt8] = []
                for name in tagFiles {
                    text += BagManifestWriter.line(checksum: Self.digest(try RawFiles.read(root, name), algorithm), path: name)
                }
                try RawFiles.write(root, Array("tagmanifest-\(algorithm.rawValue).txt".utf8), Self.encode(text, encoding))
            }
        }
        try afterWriting(root)
    }

    /// The manifest name bagit-python gives an OpenSSL digest: hashlib's (sha3_256, blake2b).
    static func bagItName(_ openssl: String) -> String {
        openssl == "blake2b512" ? "blake2b" : openssl.replacingOccurrences(of: "-", with: "_")
    }

    /// A file's digest by `openssl dgst`, the real tool, for algorithms handover does not have.
    static func opensslDigest(_ name: String, root: String, _ relative: [UInt8]) throws -> String {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let result = try runProcess(openssl, ["dgst", "-\(name)", "-r", String(decoding: RawFiles.join(root, relative), as: UTF8.self)])
        guard result.status == 0, let digest = result.stdout.split(separator: " ").first else {
            throw FileError(path: String(decoding: relative, as: UTF8.self), reason: "openssl dgst -\(name) failed: \(result.stderr)")
        }
        return String(digest)
    }

    /// UTF-8 text in another tag file encoding (UTF-16 with a little-endian byte-order mark).
    static func encode(_ utf8: [UInt8], _ encoding: TagFileEncoding) -> [UInt8] {
        let text = String(decoding: utf8, as: UTF8.self)
        switch encoding {
        case .latin1: return TagFileParserTests.latin1(text)
        case .utf16, .utf16LE: return TagFileParserTests.utf16(text, littleEndian: true)
        default: return utf8
        }
    }
}

/// Files named by bytes, written with Glibc so that any name (NFD, CR, LF) is kept as it is.
enum RawFiles {
    static func join(_ root: String, _ relative: [UInt8]) -> [UInt8] { Array(root.utf8) + [UInt8(ascii: "/")] + relative }

    static func makeFolder(_ root: String, _ relative: [UInt8]) throws {
        var prefix: [UInt8] = []
        for part in relative.split(separator: UInt8(ascii: "/")) {
            prefix += (prefix.isEmpty ? [] : [UInt8(ascii: "/")]) + part
            let status = cString(join(root, prefix)) { mkdir($0, 0o755) }
            guard status == 0 || errno == EEXIST else { throw FileError.fromErrno(root, "mkdir") }
        }
    }

    static func write(_ root: String, _ relative: [UInt8], _ bytes: [UInt8]) throws {
        if let slash = relative.lastIndex(of: UInt8(ascii: "/")) { try makeFolder(root, Array(relative[..<slash])) }
        let fd = cString(join(root, relative)) { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw FileError.fromErrno(String(decoding: relative, as: UTF8.self), "open") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw FileError.fromErrno(String(decoding: relative, as: UTF8.self), "write") }
    }

    static func read(_ root: String, _ relative: [UInt8]) throws -> [UInt8] {
        let path = String(decoding: join(root, relative), as: UTF8.self)
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(path: path, reason: "cannot read") }
        return Array(data)
    }

    static func remove(_ root: String, _ relative: String) throws {
        guard cString(join(root, Array(relative.utf8)), { unlink($0) }) == 0 else { throw FileError.fromErrno(relative, "unlink") }
    }

    static func symlink(_ root: String, _ relative: String, to target: String) throws {
        guard cString(join(root, Array(relative.utf8)), { Glibc.symlink(target, $0) }) == 0 else { throw FileError.fromErrno(relative, "symlink") }
    }

    static func removeFolder(_ root: String, _ relative: String) throws {
        guard cString(join(root, Array(relative.utf8)), { rmdir($0) }) == 0 else { throw FileError.fromErrno(relative, "rmdir") }
    }

    static func rename(_ root: String, _ from: String, to: String) throws {
        let status = cString(join(root, Array(from.utf8))) { old in cString(join(root, Array(to.utf8))) { Glibc.rename(old, $0) } }
        guard status == 0 else { throw FileError.fromErrno(from, "rename") }
    }

    static func fifo(_ root: String, _ relative: String) throws {
        guard cString(join(root, Array(relative.utf8)), { mkfifo($0, 0o644) }) == 0 else { throw FileError.fromErrno(relative, "mkfifo") }
    }

    static func cString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    /// Flips one bit of the byte at `offset` of a file.
    static func flipByte(_ root: String, _ relative: String, at offset: Int = 0) throws {
        var bytes = try read(root, Array(relative.utf8))
        bytes[offset] ^= 0x01
        try write(root, Array(relative.utf8), bytes)
    }

    static func append(_ root: String, _ relative: String, _ text: String) throws {
        try write(root, Array(relative.utf8), try read(root, Array(relative.utf8)) + Array(text.utf8))
    }
}

/// Verifies the bag folder at `path` through FolderReader.
func verifyFolder(_ path: String, options: BagVerifier.Options = .init(), observer: PayloadObserver? = nil) throws -> BagVerification {
    try BagVerifier(options: options) { try FolderReader(path: path) }.verify(observer: observer)
}
