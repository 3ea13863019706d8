/// Bech32 (BIP 173) as age uses it for keys: no length limit on the data part, a string is all
/// lowercase or all uppercase, and the checksum is computed over the lowercase form.
enum Bech32 {
    /// Why a string is not valid Bech32, in words for a person.
    struct Failure: Error, Equatable {
        let reason: String
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let charValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, char) in charset.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()

    /// The longest string decoded: far more than any age key, so hostile input stays cheap.
    static let maxLength = 4096

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generators: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { checksum ^= generators[i] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Regroups bits, e.g. bytes (8) into Bech32 characters (5) or back. Going back, leftover
    /// bits must be fewer than `from` and all zero, or the encoding was not canonical.
    private static func regroup(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        var out = [UInt8]()
        let mask = (1 << to) - 1
        for value in data {
            accumulator = (accumulator << from | Int(value)) & 0xFFFF
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((accumulator >> bits) & mask))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & mask)) }
        } else if bits >= from || (accumulator << (to - bits)) & mask != 0 {
            return nil
        }
        return out
    }

    /// Encodes `data` with the human-readable part `hrp`, in lowercase.
    static func encode(hrp: String, data: [UInt8]) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let values = regroup(data, from: 8, to: 5, pad: true) ?? []
        let check = polymod(expand(hrpBytes) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        var out = hrpBytes + [UInt8(ascii: "1")] + values.map { charset[Int($0)] }
        for i in 0..<6 { out.append(charset[Int((check >> UInt32(5 * (5 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `string` into its lowercase human-readable part and its data bytes.
    static func decode(_ string: String) throws(Failure) -> (hrp: String, data: [UInt8]) {
        let bytes = Array(string.utf8)
        guard bytes.count <= maxLength else { throw Failure(reason: "it is far too long") }
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
            throw Failure(reason: "it contains a space or a character that is not printable ASCII")
        }
        let hasLower = bytes.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        let hasUpper = bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        guard !(hasLower && hasUpper) else { throw Failure(reason: "it mixes uppercase and lowercase letters") }
        let lower = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator > 0 else {
            throw Failure(reason: "it has no Bech32 separator \"1\"")
        }
        let hrp = Array(lower[..<separator])
        let part = lower[(separator + 1)...]
        guard part.count >= 6 else { throw Failure(reason: "it is too short to carry a checksum") }
        var values = [UInt8]()
        values.reserveCapacity(part.count)
        for char in part {
            let value = charValues[Int(char)]
            guard value >= 0 else {
                // The character is not quoted: in a secret key, even one character is secret.
                throw Failure(reason: "it contains a character that Bech32 never uses (such as b, i or o)")
            }
            values.append(UInt8(value))
        }
        guard polymod(expand(hrp) + values) == 1 else {
            throw Failure(reason: "its checksum does not match (a character is mistyped, missing or extra)")
        }
        guard let data = regroup(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else {
            throw Failure(reason: "its data part does not decode to whole bytes")
        }
        return (String(decoding: hrp, as: UTF8.self), data)
    }
}
