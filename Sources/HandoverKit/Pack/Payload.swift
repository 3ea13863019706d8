/// The payload in bag order, as a view of SOURCE's walk: four bytes a file (its place among
/// the walk's files) and one for whether it is stored encrypted, rather than a copy of each
/// file's facts. A million files cost four megabytes here, not seventy.
struct Payload: RandomAccessCollection {
    /// The files the places point into: the walk's, or the collected files themselves when
    /// one of them is not found among the walk's (never expected; then nothing is shared).
    private let files: [SourceFile]
    private let places: [UInt32]
    private let encrypted: [Bool]
    private let recipients: [AgeRecipient]

    /// `collected` and `walked` are both sorted by path bytes, so one pass finds each
    /// collected file among the walked ones.
    init(collected: [SourceFile], walked: [SourceFile], isConfidential: (SourceFile) -> Bool, recipients: [AgeRecipient]) {
        var places: [UInt32] = []
        places.reserveCapacity(collected.count)
        var cursor = 0
        var found = walked.count <= Int(UInt32.max)
        for file in collected where found {
            while cursor < walked.count && walked[cursor].path.lexicographicallyPrecedes(file.path) { cursor += 1 }
            found = cursor < walked.count && walked[cursor].path == file.path
            places.append(UInt32(truncatingIfNeeded: cursor))
            cursor += 1
        }
        if found {
            files = walked
            self.places = places
        } else {
            files = collected
            self.places = collected.indices.map { UInt32(truncatingIfNeeded: $0) }
        }
        encrypted = collected.map(isConfidential)
        self.recipients = recipients
    }

    var startIndex: Int { 0 }
    var endIndex: Int { places.count }

    subscript(position: Int) -> PayloadItem {
        PayloadItem(file: files[Int(places[position])], encrypted: encrypted[position], recipients: recipients)
    }
}
