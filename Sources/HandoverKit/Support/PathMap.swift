#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A map from byte paths to values that keeps every path once, in one arena of bytes, and the
/// values in one array: no allocation per path. `[[UInt8]: Value]` costs a heap block per key
/// (about 64 bytes for a 30-byte path) and a table rounded up to a power of two; a million files
/// is where that shows (issue 19: the verifier kept about 1 KB per file).
///
/// Entries keep the order they were added in; a removed entry is only marked (removals are rare:
/// a manifest line matched to another spelling of its name).
package struct PathMap<Value>: Sequence {
    /// Every path's bytes, one after the other.
    private var arena: [UInt8] = []
    /// Where each entry's path ends in `arena` (it starts where the one before ends).
    private var ends: [Int] = []
    private var stored: [Value] = []
    /// Open addressing: an entry's number, or -1; a power of two, at most half full.
    private var slots: [Int32] = []
    private var removed: Set<Int32> = []

    package init() {}

    /// The bound of the entries' numbers (removed ones included).
    package var indexCount: Int { ends.count }

    /// How many entries the map holds.
    package var count: Int { ends.count - removed.count }
    package var isEmpty: Bool { count == 0 }

    package subscript(path: [UInt8]) -> Value? {
        get { index(of: path).map { stored[$0] } }
        set {
            if let newValue { insert(newValue, for: path) } else if let id = index(of: path) { removed.insert(Int32(id)) }
        }
    }

    package func contains(_ path: [UInt8]) -> Bool { index(of: path) != nil }

    /// The entry's number (in the order entries were added), or nil.
    package func index(of path: [UInt8]) -> Int? {
        guard !slots.isEmpty else { return nil }
        let id = path.withUnsafeBufferPointer { find($0, hash: Self.hash($0)).id }
        guard let id, !removed.contains(Int32(id)) else { return nil }
        return id
    }

    /// The value for the path `bytes`, without making an array of them.
    package func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard !slots.isEmpty, let id = find(bytes, hash: Self.hash(bytes)).id, !isRemoved(id) else { return nil }
        return stored[id]
    }

    /// The bytes of all the paths (removed ones included).
    package var pathBytes: Int { arena.count }

    /// Makes room for `count` entries of `pathBytes` bytes of paths in all, at once: growing by
    /// doubling would copy, and hold old and new side by side at the worst moment.
    package mutating func reserve(count: Int, pathBytes: Int) {
        guard count > ends.count else { return }
        arena.reserveCapacity(pathBytes)
        ends.reserveCapacity(count)
        stored.reserveCapacity(count)
        var size = Swift.max(16, slots.count)
        while size < count * 2 { size *= 2 }
        if size > slots.count { rehash(size) }
    }

    /// Adds or replaces the value for `path`.
    package mutating func insert(_ value: Value, for path: [UInt8]) {
        if slots.isEmpty || (ends.count + 1) * 2 > slots.count { grow() }
        path.withUnsafeBufferPointer { bytes in
            let hash = Self.hash(bytes)
            let (slot, id) = find(bytes, hash: hash)
            if let id {
                stored[id] = value
                removed.remove(Int32(id))
                return
            }
            slots[slot] = Int32(ends.count)
            arena.append(contentsOf: bytes)
            ends.append(arena.count)
            stored.append(value)
        }
    }

    /// The path of entry `id`.
    package func path(at id: Int) -> [UInt8] { Array(arena[start(of: id)..<ends[id]]) }

    /// The value of entry `id`.
    package func value(at id: Int) -> Value { stored[id] }

    /// Changes the value of entry `id` in place.
    package mutating func update(at id: Int, _ body: (inout Value) -> Void) { body(&stored[id]) }

    /// Whether entry `id` has been removed.
    package func isRemoved(_ id: Int) -> Bool { !removed.isEmpty && removed.contains(Int32(id)) }

    /// Calls `body` with the bytes of entry `id`'s path, without copying them.
    package func withPath<Result>(at id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start(of: id)..<ends[id]])) }
    }

    /// The numbers of the entries (not removed) that `include` accepts, in byte order of their
    /// paths: the order of `bytewisePrecedes`, 4 bytes per entry.
    package func sortedIndices(where include: (Int, Value) -> Bool = { _, _ in true }) -> [Int32] {
        var order: [Int32] = []
        for id in ends.indices where !isRemoved(id) && include(id, stored[id]) { order.append(Int32(id)) }
        arena.withUnsafeBufferPointer { bytes in
            order.sort { a, b in
                let (a, b) = (Int(a), Int(b))
                let aStart = start(of: a), bStart = start(of: b)
                let aCount = ends[a] - aStart, bCount = ends[b] - bStart
                let common = Swift.min(aCount, bCount)
                let order = common == 0 ? 0 : memcmp(bytes.baseAddress! + aStart, bytes.baseAddress! + bStart, common)
                return order != 0 ? order < 0 : aCount < bCount
            }
        }
        return order
    }

    /// Calls `body` with each entry's number, path bytes (not copied) and value, in the order
    /// they were added.
    package func forEachEntry(_ body: (Int, UnsafeBufferPointer<UInt8>, Value) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer { all in
            for id in ends.indices where !isRemoved(id) {
                try body(id, UnsafeBufferPointer(rebasing: all[start(of: id)..<ends[id]]), stored[id])
            }
        }
    }

    /// The paths, in the order they were added.
    package var keys: [[UInt8]] { ends.indices.filter { !isRemoved($0) }.map(path(at:)) }

    package func makeIterator() -> AnyIterator<(key: [UInt8], value: Value)> {
        var id = 0
        return AnyIterator {
            while id < ends.count {
                defer { id += 1 }
                if !isRemoved(id) { return (path(at: id), stored[id]) }
            }
            return nil
        }
    }

    private func start(of id: Int) -> Int { id == 0 ? 0 : ends[id - 1] }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }

    /// The slot where `bytes` is, or the empty slot where it would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: Int) -> (slot: Int, id: Int?) {
        let mask = slots.count - 1
        var slot = hash & mask
        return arena.withUnsafeBufferPointer { all in
            while true {
                let id = Int(slots[slot])
                if id < 0 { return (slot, nil) }
                let start = start(of: id), count = ends[id] - start
                if count == bytes.count && (count == 0 || memcmp(all.baseAddress! + start, bytes.baseAddress!, count) == 0) {
                    return (slot, id)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() { rehash(Swift.max(16, slots.count * 2)) }

    private mutating func rehash(_ size: Int) {
        slots = Array(repeating: -1, count: size)
        let mask = size - 1
        arena.withUnsafeBufferPointer { all in
            for id in ends.indices {
                let start = start(of: id)
                var slot = Self.hash(UnsafeBufferPointer(rebasing: all[start..<ends[id]])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id)
            }
        }
    }
}

extension PathMap: Sendable where Value: Sendable {}
