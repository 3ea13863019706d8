/// SOURCE as `build` is given it: a folder, which is walked, or an object-store prefix
/// (`s3://bucket/prefix/`), which is listed. Either way the plan sees the same `SourceFile`s.
package enum BuildSource: Sendable {
    case folder(String)
    case objects(ObjectSource)
}

/// Where the payload's bytes end up: inside the bundle's archive (`local`, the default), or
/// left in object storage, listed in fetch.txt with their size, the bundle holding only the
/// tag files (`remote`: a holey bag, RFC 8493 §2.2.3).
public enum PayloadPlacement: String, Sendable, CaseIterable {
    case local
    case remote
}

/// SOURCE as the plan found it, for the pass that reads the payload.
enum PayloadOrigin {
    /// The walked folder: its files are opened again through `SourceOpener`.
    case folder(SourceTree)
    /// The listed prefix: its objects are read with GETs, checked against the listing.
    case objects(ObjectSource)
}
