/// What a serialized bag is, as libarchive recognised it from its content (never its name):
/// the container and its compression, with the media types a BagIt Profile may call it by.
package struct ArchiveSerialization: Sendable, Equatable {
    package enum Container: String, Sendable {
        case tar, zip
    }

    package enum Compression: String, Sendable {
        case gzip, bzip2, xz, zstd, lz4
    }

    package var container: Container
    /// The outermost compression, nil for none.
    package var compression: Compression?

    package init(container: Container, compression: Compression?) {
        self.container = container
        self.compression = compression
    }

    /// `tar`, `tar.gz`, `zip` and so on, for messages.
    package var name: String {
        guard let compression else { return container.rawValue }
        let suffix: String = switch compression {
        case .gzip: "gz"
        case .bzip2: "bz2"
        case .xz: "xz"
        case .zstd: "zst"
        case .lz4: "lz4"
        }
        return "\(container.rawValue).\(suffix)"
    }

    /// The media types that name this serialization, the registered one first.
    ///
    /// A compressed tar goes by its compression's type (`application/gzip`), or by the
    /// `application/x-tar+gzip` form that bdbag and several published profiles use. A plain
    /// `application/x-tar` does not name a compressed tar: a profile that lists only it asks
    /// for an uncompressed one.
    package var mediaTypes: [String] {
        guard let compression else {
            return container == .zip ? ["application/zip"] : ["application/x-tar", "application/tar"]
        }
        let own: [String] = switch compression {
        case .gzip: ["application/gzip", "application/x-gzip"]
        case .bzip2: ["application/x-bzip2"]
        case .xz: ["application/x-xz"]
        case .zstd: ["application/zstd"]
        case .lz4: ["application/x-lz4"]
        }
        guard container == .tar else { return own }
        return own + ["application/x-tar+\(compression.rawValue)", "application/tar+\(compression.rawValue)"]
    }
}
