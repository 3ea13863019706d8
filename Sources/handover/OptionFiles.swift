import ArgumentParser
import Foundation

/// Files given to options (keys, signer lists, CA certificates, recipient lists) are checked
/// before any work starts, so that a typo is reported at once, naming the option (exit 2),
/// rather than after a long build or verification.
enum OptionFiles {
    static func check(_ path: String?, option: String) throws {
        guard let path else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ValidationError("\(option) \(path): no such file.")
        }
        guard !isFolder.boolValue else {
            throw ValidationError("\(option) \(path): is a folder; give the file itself.")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValidationError("\(option) \(path): cannot be read (permission denied).")
        }
    }

    static func check(_ paths: [String], option: String) throws {
        for path in paths { try check(path, option: option) }
    }
}
