import Foundation

/// Names and fixed contents of a handover bag: the folder name, bag-info.txt's fields, and
/// where each tag file goes.
public enum BagLayout {
    public static let manifestCopy = "handover/manifest.yaml"
    public static let reportJSON = "handover/report.json"
    public static let reportHTML = "handover/report.html"
    public static let signature = "handover/signature.sshsig"
    public static let timestamp = "handover/timestamp.tsr"
    /// The URI of the BagIt Profile every bundle follows, named in its bag-info.txt; the
    /// profile itself ships as Manifests/handover-bagit-profile.json.
    public static let profileIdentifier = "https://handover.dev/profiles/handover-bagit-profile-v1.json"
    /// The tag manifest the signature and the time-stamp cover.
    public static let signedTagManifest = "tagmanifest-sha256.txt"

    /// `<client>-handover-<UTC time>`, e.g. `acme-sa-handover-20261231T120000Z`.
    public static func bagName(client: String, created: Int64) -> String {
        "\(slug(client))-handover-\(compactUTC(created))"
    }

    /// A file-name-safe form of a name: ASCII lowercase letters, digits and dashes.
    public static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "client" : String(trimmed.prefix(60))
    }

    /// `20261231T120000Z`.
    public static func compactUTC(_ seconds: Int64) -> String {
        let (date, time) = utcParts(seconds)
        return "\(date.replacingOccurrences(of: "-", with: ""))T\(time.replacingOccurrences(of: ":", with: ""))Z"
    }

    /// RFC 3339 in UTC: `2026-12-31T12:00:00Z`.
    public static func rfc3339(_ seconds: Int64) -> String {
        let (date, time) = utcParts(seconds)
        return "\(date)T\(time)Z"
    }

    /// `YYYY-MM-DD` in UTC.
    public static func day(_ seconds: Int64) -> String { utcParts(seconds).0 }

    static func utcParts(_ seconds: Int64) -> (String, String) {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let date = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
        let clock = "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
        return (date, clock)
    }

    /// bag-info.txt's fields for a handover.
    package static func bagInfo(parties: HandoverParties, created: Int64, payloadBytes: Int64, payloadFiles: Int, bagBytes: Int64) -> BagInfo {
        var info = BagInfo()
        info.append("Source-Organization", parties.provider)
        info.append("External-Identifier", parties.contract)
        info.append("External-Description", "End-of-contract handover of the IT service of \(parties.client) to \(parties.recipient), contract \(parties.contract)")
        info.append("Bagging-Date", day(created))
        info.append("Bag-Size", BagSize.format(bytes: bagBytes))
        info.append("Payload-Oxum", PayloadOxum(octets: payloadBytes, streamCount: Int64(payloadFiles)).description)
        info.append("Bag-Software-Agent", HandoverVersion.nameAndVersion)
        info.append("BagIt-Profile-Identifier", profileIdentifier)
        info.append("Handover-Client", parties.client)
        info.append("Handover-Provider", parties.provider)
        info.append("Handover-Recipient", parties.recipient)
        info.append("Handover-Contract", parties.contract)
        if let date = parties.date { info.append("Handover-Date", date.description) }
        info.append("Handover-Created", rfc3339(created))
        info.append("Handover-Manifest", manifestCopy)
        return info
    }
}
