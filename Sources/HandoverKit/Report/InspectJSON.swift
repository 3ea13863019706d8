/// The JSON object `handover inspect --format json` prints, documented in README.md ("JSON output
/// of inspect"). It says what the bundle holds, not whether it can be trusted: nothing is hashed.
public struct InspectJSON: Codable, Sendable {
    package struct File: Codable, Sendable {
        /// Relative to SOURCE, as the deliverable's rules saw it.
        package var path: String
        /// Relative to the bag's root, as stored (`data/…`, with `.age` when encrypted).
        package var stored: String
        package var bytes: Int64
        /// False when report.json lists the file but the bundle does not hold it.
        package var inBundle: Bool
    }

    package struct Deliverable: Codable, Sendable {
        package var id: String
        package var title: String
        package var required: Bool
        package var confidential: Bool
        /// The status recorded at build time: ok, missing, invalid or optional-absent.
        package var status: DeliverableStatus
        package var bytes: Int64
        package var files: [File]
        /// Files of the deliverable that report.json counts but does not list (it keeps the
        /// first ones of a large deliverable); absent when it lists them all.
        package var omitted: Int?
    }

    package struct Presence: Codable, Sendable {
        package var present: Bool
        package var path: String
    }

    public var formatVersion = 1
    public var path: String
    public var bagName: String?
    public var bagItVersion: String?
    /// bag-info.txt's fields, in order, as [label, value] pairs.
    public var bagInfo: [[String]]
    /// The contract and parties from report.json, when present.
    package var handover: CheckJSON.Parties?
    /// How the bundle was built, from report.json.
    package var build: CheckJSON.BuildInfo?
    /// The deliverables recorded in report.json, each file matched with the bundle's listing.
    package var deliverables: [Deliverable]
    public var payloadFiles: Int
    public var payloadBytes: Int64
    /// Payload files that no deliverable of report.json lists (relative to `data/`).
    public var unlisted: [String]
    package var tagFiles: [BundleInspection.Entry]
    /// Links, devices and other entries a bag must not hold.
    public var oddEntries: [String]
    package var signature: Presence
    package var timestamp: Presence
    public var notes: [String]

    public init(_ inspection: BundleInspection) {
        path = inspection.path
        bagName = inspection.bagName
        bagItVersion = inspection.bagItVersion
        bagInfo = inspection.bagInfo?.fields.map { [$0.label, $0.value] } ?? []
        handover = inspection.buildReport?.handover
        build = inspection.buildReport?.build
        var stored: [String: Int64] = [:]
        for entry in inspection.payload where stored[entry.path] == nil { stored[entry.path] = entry.bytes }
        var listed = Set<String>()
        deliverables = (inspection.buildReport?.deliverables ?? []).map { entry in
            let files = (entry.fileList ?? []).map { file -> File in
                // A confidential file is stored as <name>.age.
                let name = stored[file.path] != nil || !entry.confidential ? file.path : file.path + ".age"
                listed.insert(name)
                return File(path: file.path, stored: "data/" + name, bytes: stored[name] ?? file.bytes, inBundle: stored[name] != nil)
            }
            let omitted = entry.omitted?.fileList
            return Deliverable(id: entry.id, title: entry.title, required: entry.required, confidential: entry.confidential,
                               status: entry.status, bytes: omitted == nil ? files.reduce(0) { $0 + $1.bytes } : entry.bytes,
                               files: files, omitted: omitted)
        }
        payloadFiles = inspection.payload.count
        payloadBytes = inspection.payloadBytes
        // A file report.json does not list may belong to a deliverable it counts: unknown, not unlisted.
        let complete = deliverables.allSatisfy { $0.omitted == nil }
        unlisted = inspection.buildReport == nil || !complete ? [] : inspection.payload.map(\.path).filter { !listed.contains($0) }
        tagFiles = inspection.tagFiles
        oddEntries = inspection.oddEntries
        signature = Presence(present: inspection.hasSignature, path: BagLayout.signature)
        timestamp = Presence(present: inspection.hasTimestamp, path: BagLayout.timestamp)
        notes = inspection.notes
        if !complete {
            notes.append("\(BagLayout.reportJSON) lists only the first files of a large deliverable and counts the others; the manifests list them all, so no payload file is called unlisted here.")
        }
    }

    public func encoded() -> String { encodeJSON(self) }
}

/// The text `handover inspect` prints: the bag, its bag-info.txt, the deliverables with their
/// files, the evidence present, and a reminder that nothing was checked.
public enum InspectText {
    /// `filesShown` bounds the files listed per deliverable; nil lists them all.
    public static func render(_ json: InspectJSON, filesShown: Int? = 10) -> String {
        // Everything read from the bundle is shown escaped (VisibleText); the file lists of
        // report.json and the payload's paths already are.
        let shown: (String) -> String = VisibleText.name
        var out = "\(json.bagName.map { "Bag \(shown($0))" } ?? "Bundle") in \(json.path)"
        if let version = json.bagItVersion { out += " (BagIt \(version))" }
        out += "\n"
        if let parties = json.handover {
            out += "Contract \(shown(parties.contract)): \(shown(parties.client)), from \(shown(parties.provider)) to \(shown(parties.recipient))\n"
        }
        if !json.bagInfo.isEmpty {
            out += "\nbag-info.txt:\n"
            let width = min(28, json.bagInfo.map { $0.first?.count ?? 0 }.max() ?? 0)
            for field in json.bagInfo where field.count == 2 {
                let label = shown(field[0])
                out += "  \((label + ":").padding(toLength: max(width + 1, label.count + 1), withPad: " ", startingAt: 0)) \(shown(field[1]))\n"
            }
        }
        if !json.deliverables.isEmpty {
            out += "\nDeliverables (as recorded at build time in \(BagLayout.reportJSON)):\n"
            let idWidth = min(32, json.deliverables.map(\.id.count).max() ?? 10)
            for deliverable in json.deliverables {
                let status = CheckText.label(deliverable.status).padding(toLength: 16, withPad: " ", startingAt: 0)
                let id = shown(deliverable.id).padding(toLength: max(idWidth, deliverable.id.count), withPad: " ", startingAt: 0)
                let count = deliverable.files.count + (deliverable.omitted ?? 0)
                var line = "  \(status)\(id)  \(count) file\(count == 1 ? "" : "s")"
                if count > 0 { line += ", \(ByteCount.format(deliverable.bytes))" }
                // report.json says the deliverable is confidential; the entries say how it is stored.
                let plain = deliverable.files.filter { $0.inBundle && !$0.stored.hasSuffix(".age") }.count
                let confidential = !deliverable.confidential ? ""
                    : plain == 0 ? " (confidential, encrypted)" : " (confidential, but \(plain) file\(plain == 1 ? " is" : "s are") stored unencrypted)"
                out += line + "  \(shown(deliverable.title))\(confidential)\n"
                let shown = filesShown.map { Array(deliverable.files.prefix($0)) } ?? deliverable.files
                for file in shown {
                    out += "      \(VisibleText.escapedName(String(file.stored.dropFirst(5))))  \(ByteCount.format(file.bytes))\(file.inBundle ? "" : "  NOT IN THE BUNDLE")\n"
                }
                if shown.count < deliverable.files.count {
                    let verbose = deliverable.omitted == nil ? "every file" : "the first \(deliverable.files.count), \(BagLayout.reportJSON) counts the others"
                    out += "      … and \(count - shown.count) more (--verbose lists \(verbose))\n"
                } else if shown.count < count {
                    out += "      … and \(count - shown.count) more, counted but not listed in \(BagLayout.reportJSON)\n"
                }
            }
        }
        if !json.unlisted.isEmpty {
            out += "\nIn the payload but in no deliverable of \(BagLayout.reportJSON): \(json.unlisted.count) file\(json.unlisted.count == 1 ? "" : "s")\n"
            for path in json.unlisted.prefix(filesShown ?? json.unlisted.count) { out += "  \(VisibleText.escapedName(path))\n" }
        }
        for entry in json.oddEntries { out += "Not a file or folder: \(entry)\n" }
        out += "\nPayload: \(json.payloadFiles) file\(json.payloadFiles == 1 ? "" : "s"), \(ByteCount.format(json.payloadBytes))"
        if let build = json.build, build.encryptedFiles > 0 { out += ", \(build.encryptedFiles) encrypted with age" }
        out += "\nTag files: " + json.tagFiles.map(\.path).joined(separator: ", ") + "\n"
        out += "Signature: \(json.signature.present ? "present (\(json.signature.path))" : "none")\n"
        out += "Time-stamp: \(json.timestamp.present ? "present (\(json.timestamp.path))" : "none")\n"
        for note in json.notes { out += "Note: \(note)\n" }
        out += "\nNothing was extracted or checked. Run 'handover verify \(json.path)' to check every checksum, the signature and the time-stamp.\n"
        return out
    }
}
