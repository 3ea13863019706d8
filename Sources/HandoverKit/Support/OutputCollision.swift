import Glibc

/// Refuses an output that is one of the command's own inputs, whatever `--force` says.
///
/// `report B --output B --force` once replaced the bundle with its own report, and an output
/// equal to the manifest replaced the manifest. Paths are compared as files, by device and
/// inode, not as strings: `./m.yaml`, `dir/../m.yaml` or a hard link are caught alike.
public enum OutputCollision {
    /// One input of a command: how the user named it (`--manifest`, `BUNDLE`) and its path.
    public struct Input: Sendable {
        public var name: String
        public var path: String

        public init(_ name: String, _ path: String) {
            self.name = name
            self.path = path
        }
    }

    /// Throws when `output` exists and is the same file as one of `inputs`; `outputName` is how
    /// the user named the output (`--output`).
    public static func check(output: String, named outputName: String, inputs: [Input]) throws(FileError) {
        guard let target = identity(output) else { return }
        for input in inputs where identity(input.path) == target {
            throw FileError(path: output, reason: "\(outputName) is the same file as \(input.name) \(input.path); "
                + "writing it would destroy that input, so it is refused even where replacing an output is allowed. Choose another output")
        }
    }

    /// Throws when `output` exists and lies inside the folder `folder` (extracting into a bag
    /// folder that is being read, say). An output that does not exist yet is not refused.
    public static func check(output: String, named outputName: String, notInside folder: Input) throws(FileError) {
        guard identity(output) != nil, let root = identity(folder.path) else { return }
        var current = parent(of: output)
        // Walk up the real folders, at most as deep as a path can be.
        for _ in 0..<256 {
            guard let here = identity(current) else { return }
            if here == root {
                throw FileError(path: output, reason: "\(outputName) is inside \(folder.name) \(folder.path); "
                    + "writing there would change that input, even where replacing an output is allowed. Choose an output outside it")
            }
            let up = current + "/.."
            guard let above = identity(up), above != here else { return }
            current = up
        }
    }

    /// The (device, inode) of the file `path` names, following links; nil when there is none.
    static func identity(_ path: String) -> FileID? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    struct FileID: Equatable {
        let device: UInt64
        let inode: UInt64
    }
}
