/// A set of small non-negative numbers kept as one bit each: what extraction uses to remember
/// which of a million files it has met or still has staged, instead of a set of paths or of Ints
/// (about 40 bytes per member).
struct BitSet {
    private var words: [UInt64] = []
    /// How many numbers the set holds.
    private(set) var count = 0

    /// An empty set with room for the numbers below `capacity`.
    init(capacity: Int = 0) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    func contains(_ number: Int) -> Bool {
        number >= 0 && number / 64 < words.count && words[number / 64] & Self.bit(number) != 0
    }

    /// Adds `number` (growing as needed); false when it was already there.
    @discardableResult
    mutating func insert(_ number: Int) -> Bool {
        precondition(number >= 0, "a BitSet holds non-negative numbers")
        if number / 64 >= words.count { words.append(contentsOf: repeatElement(0, count: Swift.max(number / 64 + 1 - words.count, words.count))) }
        guard words[number / 64] & Self.bit(number) == 0 else { return false }
        words[number / 64] |= Self.bit(number)
        count += 1
        return true
    }

    /// Takes `number` out; false when it was not there.
    @discardableResult
    mutating func remove(_ number: Int) -> Bool {
        guard contains(number) else { return false }
        words[number / 64] &= ~Self.bit(number)
        count -= 1
        return true
    }

    /// The numbers held, in increasing order.
    var members: [Int] {
        var found: [Int] = []
        found.reserveCapacity(count)
        for (index, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                found.append(index * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return found
    }

    private static func bit(_ number: Int) -> UInt64 { 1 << UInt64(number % 64) }
}
