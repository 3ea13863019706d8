/// The files waiting in extract's staging folder, each with the path it goes to in DIR
/// (relative to it, joined with `/`).
///
/// A file of the bundle goes to the path it was verified at: it is kept as its number in the
/// verified contents, whose table already holds the path. Only a decrypted or fetched file keeps
/// a path of its own. A file staged costs 8 bytes, a million of them 8 MB.
struct StagedFiles {
    /// `target`: a number in `contents` when zero or more, else the bitwise complement of an
    /// index in `ownPaths`; `staged`: the staged file's number.
    private var entries: [(target: Int32, staged: Int32)] = []
    private var ownPaths: [[UInt8]] = []
    private let contents: VerifiedContents?

    init(contents: VerifiedContents? = nil) {
        self.contents = contents
    }

    var count: Int { entries.count }

    /// The staged number of file `index`.
    func staged(_ index: Int) -> Int { Int(entries[index].staged) }

    /// Adds a staged file that goes to the path of the verified file `number`.
    mutating func append(verified number: Int, staged: Int) {
        precondition(contents != nil, "a file of the bundle is staged with the verified contents")
        entries.append((Int32(number), Int32(staged)))
    }

    /// Adds a staged file that goes to `path`.
    mutating func append(path: [UInt8], staged: Int) {
        entries.append((~Int32(ownPaths.count), Int32(staged)))
        ownPaths.append(path)
    }

    /// Adds the files of `other`, which were all given their own path.
    mutating func append(contentsOf other: StagedFiles) {
        for index in 0..<other.count {
            append(path: other.path(index), staged: other.staged(index))
        }
    }

    /// Calls `body` with the path of file `index`, without copying it.
    func withPath<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let target = Int(entries[index].target)
        if target < 0 { return try ownPaths[~target].withUnsafeBufferPointer(body) }
        guard let contents else { preconditionFailure("a verified number without the verified contents") }
        return try contents.withPath(ofNumber: target, body)
    }

    /// The path of file `index`.
    func path(_ index: Int) -> [UInt8] { withPath(index) { Array($0) } }

    /// The files' indices in the order of their paths' components (`ExtractDestination.componentOrder`).
    func componentOrder() -> [Int32] {
        var order = Array(0..<Int32(count))
        order.sort { a, b in
            withPath(Int(a)) { first in withPath(Int(b)) { ExtractDestination.componentOrder(first, $0) } }
        }
        return order
    }
}
