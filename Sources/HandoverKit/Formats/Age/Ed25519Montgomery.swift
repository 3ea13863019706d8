/// The birational map from an Ed25519 public key (a point of the twisted Edwards curve, stored as
/// its y coordinate and the sign of x) to the X25519 public key of the same secret (the u
/// coordinate of the Montgomery curve): u = (1 + y) / (1 - y) mod 2^255 - 19.
///
/// age's ssh-ed25519 recipients encrypt to that u, and swift-crypto has no such conversion. The
/// arithmetic here handles public values only, so it need not run in constant time; it is small
/// and slow (a few hundred multiplications per key), which is fine for one key per recipient.
enum Ed25519Montgomery {
    /// The u coordinate for `publicKey` (32 bytes as Ed25519 stores it), or nil when the bytes are
    /// not a point of the curve, or are a point (the neutral one) that has no u.
    static func montgomeryU(fromEdwards publicKey: [UInt8]) -> [UInt8]? {
        guard publicKey.count == 32 else { return nil }
        var bytes = publicKey
        let xIsOdd = bytes[31] & 0x80 != 0
        bytes[31] &= 0x7F
        let y = Field(littleEndian: bytes)
        // A non-canonical y (y >= p) is never written by an Ed25519 implementation.
        guard y.isCanonical else { return nil }
        // On the curve -x^2 + y^2 = 1 + d x^2 y^2, so x^2 = (y^2 - 1) / (d y^2 + 1): a point
        // exists only when that is a square (Euler's criterion), and x = 0 has no odd sign.
        let one = Field(1)
        let d = Field(0).minus(Field(121_665)).times(Field(121_666).inverse)
        let ySquared = y.times(y)
        let xSquared = ySquared.minus(one).times(d.times(ySquared).plus(one).inverse)
        let euler = xSquared.power(Field.halfOrderMinusOne)
        guard euler.isZero || euler == one else { return nil }
        if xSquared.isZero && xIsOdd { return nil }
        let denominator = one.minus(y)
        guard !denominator.isZero else { return nil }
        return one.plus(y).times(denominator.inverse).littleEndianBytes
    }

    /// An integer modulo p = 2^255 - 19, in four 64-bit limbs (least significant first), kept
    /// below 2^256 between operations and reduced fully only when compared or written out.
    struct Field: Equatable {
        var limbs: [UInt64]

        /// p, and the exponents used with it: p - 2 (inversion) and (p - 1) / 2 (Euler).
        static let p: [UInt64] = [0xFFFF_FFFF_FFFF_FFED, .max, .max, 0x7FFF_FFFF_FFFF_FFFF]
        static let pMinusTwo: [UInt64] = [0xFFFF_FFFF_FFFF_FFEB, .max, .max, 0x7FFF_FFFF_FFFF_FFFF]
        static let halfOrderMinusOne: [UInt64] = [0xFFFF_FFFF_FFFF_FFF6, .max, .max, 0x3FFF_FFFF_FFFF_FFFF]

        init(_ small: UInt64) { limbs = [small, 0, 0, 0] }

        init(limbs: [UInt64]) { self.limbs = limbs }

        init(littleEndian bytes: [UInt8]) {
            limbs = (0..<4).map { limb in
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[limb * 8 + $1]) << (8 * UInt64($1)) }
            }
        }

        /// Below p as given, without reduction.
        var isCanonical: Bool { Self.less(limbs, Self.p) }

        var isZero: Bool { reduced.limbs.allSatisfy { $0 == 0 } }

        /// The same value, below p.
        var reduced: Field {
            var value = limbs
            // A value below 2^256 = 2p + 38 needs at most two subtractions.
            while !Self.less(value, Self.p) { value = Self.subtract(value, Self.p) }
            return Field(limbs: value)
        }

        var littleEndianBytes: [UInt8] {
            reduced.limbs.flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> (8 * UInt64($0))) } }
        }

        static func == (a: Field, b: Field) -> Bool { a.reduced.limbs == b.reduced.limbs }

        func plus(_ other: Field) -> Field {
            var sum = [UInt64](repeating: 0, count: 4)
            var carry: UInt64 = 0
            for i in 0..<4 {
                let (s1, o1) = limbs[i].addingReportingOverflow(other.limbs[i])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                sum[i] = s2
                carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
            return Field(limbs: Self.fold(sum, carry: carry))
        }

        /// self - other, as self + (p - other) with other reduced first so nothing goes negative.
        func minus(_ other: Field) -> Field {
            plus(Field(limbs: Self.subtract(Self.p, other.reduced.limbs)))
        }

        func times(_ other: Field) -> Field {
            var wide = [UInt64](repeating: 0, count: 8)
            for i in 0..<4 {
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let product = limbs[i].multipliedFullWidth(by: other.limbs[j])
                    let (low1, o1) = product.low.addingReportingOverflow(wide[i + j])
                    let (low2, o2) = low1.addingReportingOverflow(carry)
                    wide[i + j] = low2
                    // high <= 2^64 - 2, so adding two carries cannot overflow.
                    carry = product.high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                }
                wide[i + 4] = carry
            }
            // 2^256 = 38 (mod p): fold the high half into the low one, 38 times over.
            var folded = [UInt64](repeating: 0, count: 4)
            var carry: UInt64 = 0
            for i in 0..<4 {
                let product = wide[i + 4].multipliedFullWidth(by: 38)
                let (s1, o1) = wide[i].addingReportingOverflow(product.low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                folded[i] = s2
                carry = product.high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            return Field(limbs: Self.fold(folded, carry: carry))
        }

        func power(_ exponent: [UInt64]) -> Field {
            var result = Field(1)
            for limb in exponent.reversed() {
                for bit in (0..<64).reversed() {
                    result = result.times(result)
                    if limb >> UInt64(bit) & 1 == 1 { result = result.times(self) }
                }
            }
            return result
        }

        /// The inverse by Fermat's little theorem; zero for zero.
        var inverse: Field { power(Self.pMinusTwo) }

        /// Adds `carry` * 2^256 = `carry` * 38 back in until nothing carries out.
        private static func fold(_ value: [UInt64], carry: UInt64) -> [UInt64] {
            var value = value
            var carry = carry
            while carry != 0 {
                var add = carry * 38
                carry = 0
                for i in 0..<4 {
                    let (sum, overflow) = value[i].addingReportingOverflow(add)
                    value[i] = sum
                    add = overflow ? 1 : 0
                    if add == 0 { break }
                }
                carry = add
            }
            return value
        }

        private static func less(_ a: [UInt64], _ b: [UInt64]) -> Bool {
            for i in (0..<4).reversed() where a[i] != b[i] { return a[i] < b[i] }
            return false
        }

        /// a - b for a >= b.
        private static func subtract(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            var result = [UInt64](repeating: 0, count: 4)
            var borrow: UInt64 = 0
            for i in 0..<4 {
                let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                result[i] = d2
                borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
            return result
        }
    }
}
