@testable import HandoverKit
import Testing

/// Extraction's bit per file behaves as a set of numbers would.
@Suite("BitSet: a set of small numbers, a bit each")
struct BitSetTests {
    @Test("inserts and removals agree with a Set<Int>, across word boundaries and while growing")
    func agreesWithSet() {
        var bits = BitSet(capacity: 10)
        var reference = Set<Int>()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let number = Int.random(in: 0..<3_000, using: &generator)
            if Bool.random(using: &generator) {
                let inserted = bits.insert(number)
                #expect(inserted == reference.insert(number).inserted)
            } else {
                let removed = bits.remove(number)
                #expect(removed == (reference.remove(number) != nil))
            }
        }
        #expect(bits.count == reference.count)
        #expect(bits.members == reference.sorted())
        for number in [-1, 0, 63, 64, 2_999, 3_000, 1 << 40] { #expect(bits.contains(number) == reference.contains(number)) }
    }

    @Test("the numbers at the edges of a word are told apart")
    func wordEdges() {
        var bits = BitSet()
        for number in [0, 63, 64, 127, 128] { bits.insert(number) }
        let again = bits.insert(64)
        #expect(!again)
        #expect(bits.members == [0, 63, 64, 127, 128])
        #expect(!bits.contains(1) && !bits.contains(62) && !bits.contains(65) && !bits.contains(129))
        let removed = bits.remove(63)
        #expect(removed && !bits.contains(63) && bits.contains(64) && bits.count == 4)
    }
}
