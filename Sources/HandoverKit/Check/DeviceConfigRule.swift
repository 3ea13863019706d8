/// Credentials in network-device configurations, looked for at the start of each line (after
/// its indentation), where those commands are written:
/// - Cisco IOS: `enable secret 5|8|9 <hash>`, `username … secret 9 <hash>` (hashes that can be
///   cracked offline), `password 7 <hex>` and `enable password …` (type 7 is reversible);
/// - SNMP community strings: `snmp-server community <string> RO`, net-snmp's `rocommunity`;
/// - TACACS+/RADIUS shared keys: `tacacs-server key …`, `radius-server key …`;
/// - Fortinet: `set psksecret ENC …` (IPsec pre-shared keys), `set password ENC …`.
///
/// `no …` lines, `service password-encryption`, and placeholders (`<hash>`) are no findings.
enum DeviceConfigRule {
    static let rule = SecretRule(id: "device-config", triggers: [0x0A], match: match)

    /// `index` is the newline before the line (or -1 at the start of the file).
    static func match(_ text: ScanText, _ index: Int) -> String? {
        let start = text.skipBlanks(from: index + 1, limit: 32)
        switch text[start] {
        case UInt8(ascii: "e"):
            if text.hasPrefix("enable secret ", at: start) { return cisco(text, start + 14, secret: true) }
            if text.hasPrefix("enable password ", at: start) { return cisco(text, start + 16, secret: false) }
        case UInt8(ascii: "u"):
            guard text.hasPrefix("username ", at: start) else { return nil }
            let lineLength = text.run(from: start, limit: 300) { $0 != 0x0A && $0 != 0x0D }
            var index = start + 9
            while index < start + lineLength {
                if text.hasPrefix(" secret ", at: index) { return cisco(text, index + 8, secret: true) }
                if text.hasPrefix(" password ", at: index) { return cisco(text, index + 10, secret: false) }
                index += 1
            }
        case UInt8(ascii: "p"):
            if text.hasPrefix("password ", at: start) { return cisco(text, start + 9, secret: false, needsType: true) }
        case UInt8(ascii: "s"):
            if text.hasPrefix("snmp-server community ", at: start), plainValue(text, start + 22, alone: false) {
                return "an SNMP community string"
            }
            if text.hasPrefix("set psksecret ", at: start) { return fortinet(text, start + 14, kind: "a Fortinet pre-shared key") }
            if text.hasPrefix("set password ENC ", at: start) { return fortinet(text, start + 13, kind: "a Fortinet password (ENC)") }
        case UInt8(ascii: "r"):
            if text.hasPrefix("rocommunity ", at: start) || text.hasPrefix("rwcommunity ", at: start),
               plainValue(text, start + 12, alone: false) {
                return "an SNMP community string"
            }
            if text.hasPrefix("radius-server key ", at: start) { return sharedKey(text, start + 18) }
        case UInt8(ascii: "t"):
            if text.hasPrefix("tacacs-server key ", at: start) { return sharedKey(text, start + 18) }
        default:
            break
        }
        return nil
    }

    /// `[type] value` after `secret` or `password`.
    static func cisco(_ text: ScanText, _ start: Int, secret: Bool, needsType: Bool = false) -> String? {
        let type = text[start]
        let typed = ScanText.isDigit(type) && text[start + 1] == 0x20
        if typed {
            guard plainValue(text, start + 2, alone: true) else { return nil }
            switch type {
            case UInt8(ascii: "4"), UInt8(ascii: "5"), UInt8(ascii: "8"), UInt8(ascii: "9"): return "a Cisco password hash (secret 4/5/8/9)"
            case UInt8(ascii: "7"): return "a Cisco type 7 password (reversible)"
            case UInt8(ascii: "0"): return "a plain-text password in a device configuration"
            default: return nil
            }
        }
        guard !needsType, plainValue(text, start, alone: true) else { return nil }
        return secret ? "a Cisco password hash (secret 4/5/8/9)" : "a plain-text password in a device configuration"
    }

    /// `[ENC] value` or `"value"`.
    static func fortinet(_ text: ScanText, _ start: Int, kind: String) -> String? {
        var index = start
        if text.hasPrefix("ENC ", at: index) { index += 4 }
        if text[index] == UInt8(ascii: "\"") { index += 1 }
        return plainValue(text, index, alone: false) ? kind : nil
    }

    static func sharedKey(_ text: ScanText, _ start: Int) -> String? {
        var index = start
        if ScanText.isDigit(text[index]), text[index + 1] == 0x20 { index += 2 }
        return plainValue(text, index, alone: true) ? "a TACACS+ or RADIUS shared key" : nil
    }

    /// A word of at least 4 bytes that is no placeholder; when `alone`, the last on its line.
    static func plainValue(_ text: ScanText, _ start: Int, alone: Bool) -> Bool {
        let length = text.run(from: start, limit: 200) { !ScanText.isSpaceOrEnd($0) && $0 != UInt8(ascii: "\"") }
        guard length >= 4, length < 200 else { return false }
        let value = text.slice(start, length)
        guard let first = value.first, first != UInt8(ascii: "<"), first != UInt8(ascii: "{"), !value.allSatisfy({ $0 == first }) else { return false }
        let lowered = String(decoding: value.map(ScanText.lower), as: UTF8.self)
        if SettingRule.placeholders.contains(lowered) || SettingRule.placeholderParts.contains(where: { lowered.contains($0) }) { return false }
        if alone {
            let after = text.skipBlanks(from: start + length, limit: 32)
            guard text[after] == 0x0A || text[after] == 0x0D || text[after] == 0 else { return false }
        }
        return true
    }
}
