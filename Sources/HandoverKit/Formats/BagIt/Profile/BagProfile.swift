/// A BagIt Profile (bagit-profiles specification 1.4): what a bag must hold to be accepted by
/// whoever published the profile, an archive or a funder.
///
/// Read from a local JSON file by `BagProfile.load(path:)`; `ProfileCheck` holds a verified bag
/// against it. Keys the specification does not define (extensions such as `Other-Info`) are
/// left alone, as the specification lets publishers add them.
public struct BagProfile: Sendable, Equatable {
    /// Whether a bag may, must or must not come serialized (one archive file).
    package enum Serialization: String, Sendable, Equatable {
        case forbidden, required, optional
    }

    /// The rule for one bag-info.txt label (`Bag-Info` in the profile).
    package struct TagRule: Sendable, Equatable {
        /// The label, as the profile writes it.
        package var label: String
        package var required: Bool
        /// The values allowed; empty means any value.
        package var values: [String]
        /// False when the label may appear at most once.
        package var repeatable: Bool
    }

    /// The file it was read from, as given (for messages and the JSON verdict).
    public var source: String
    /// `BagIt-Profile-Info`'s `BagIt-Profile-Identifier`: the URI a conforming bag names in
    /// bag-info.txt.
    public var identifier: String
    /// `BagIt-Profile-Info`'s `Version`: the version of the profile itself, when given.
    public var version: String?
    /// `BagIt-Profile-Info`'s `Source-Organization`: who published the profile, when given.
    public var publisher: String?
    /// The `Bag-Info` rules, sorted by label (JSON objects have no order).
    package var bagInfo: [TagRule]
    public var manifestsRequired: [String]
    /// nil: every payload manifest algorithm is allowed.
    public var manifestsAllowed: [String]?
    public var tagManifestsRequired: [String]
    /// nil: every tag manifest algorithm is allowed.
    public var tagManifestsAllowed: [String]?
    /// Paths relative to the bag's root.
    public var tagFilesRequired: [String]
    /// Patterns (`*` for any run of characters, `?` for one); nil stands for `["*"]`.
    public var tagFilesAllowed: [String]?
    /// `Allow-Fetch.txt`, true unless the profile says otherwise.
    public var allowsFetch: Bool
    /// `Fetch.txt-Required`.
    public var requiresFetch: Bool
    /// `Data-Empty`: the payload must be empty or a single empty file.
    public var requiresEmptyData: Bool
    package var serialization: Serialization
    /// The media types a serialized bag may have; nil when the profile names none (any is accepted).
    public var acceptSerialization: [String]?
    /// The BagIt versions accepted, as bagit.txt writes them ("1.0", "0.97").
    public var acceptBagItVersion: [String]

    /// The largest profile file read: real ones are a few KiB.
    public static let maxFileBytes = 1 << 20

    /// Reads the profile at `path`, a local file of at most `maxFileBytes`.
    /// - Throws: `ProfileError` (exit status 2) when the file cannot be read, is not JSON, or
    ///   is not a BagIt Profile.
    package static func load(path: String) throws(ProfileError) -> BagProfile {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: maxFileBytes)
        } catch {
            throw ProfileError(path: path, .unreadable(error.reason))
        }
        return try parse(bytes, path: path)
    }

    /// Reads a profile from the bytes of its JSON file; `path` names it in errors.
    package static func parse(_ bytes: [UInt8], path: String) throws(ProfileError) -> BagProfile {
        do {
            return try ProfileReader(root: try JSONValue.decode(bytes)).profile(source: path)
        } catch {
            throw ProfileError(path: path, error)
        }
    }
}
