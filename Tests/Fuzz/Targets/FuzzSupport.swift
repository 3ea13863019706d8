// Shared by every fuzz target: turning libFuzzer's pointer into bytes, feeding bytes in pieces,
// and failing loudly when a property that must hold does not.
import Foundation

/// The fuzz input as an array (libFuzzer may pass a null pointer with a count of zero).
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let data, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: count))
}

/// Feeds `bytes` to `body` in pieces whose sizes come from `seed`, so that a streaming parser
/// meets every split point a chunked reader could give it (1 byte, odd sizes, whole).
func feedInPieces(_ bytes: [UInt8], seed: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    var state = UInt64(truncatingIfNeeded: seed) &* 6364136223846793005 &+ 1442695040888963407
    var start = 0
    try bytes.withUnsafeBytes { all in
        while start < all.count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let size = 1 + Int((state >> 33) % UInt64(max(1, min(97, all.count - start))))
            try body(UnsafeRawBufferPointer(rebasing: all[start..<(start + size)]))
            start += size
        }
    }
}

/// Stops the fuzzer with a message when a property of the code under test does not hold: a
/// different answer for the same bytes read in other pieces is as much a bug as a crash.
func fuzzRequire(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data("fuzz property failed: \(message())\n".utf8))
    abort()
}
