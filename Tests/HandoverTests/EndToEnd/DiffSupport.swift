import Foundation
import Testing

/// Two deliveries of the same export: the second adds, removes, changes and moves one file each.
///
/// | deliverable   | change                                              |
/// | ------------- | --------------------------------------------------- |
/// | access-list   | access/accounts.csv changed                         |
/// | documentation | docs/guide.md moved to docs/manuals/guide.md        |
/// | inventories   | switches.csv added, licences.csv removed            |
/// | backup-plan   | nothing (optional, absent in both)                  |
struct DeliveryPair {
    let fixture: SourceFixture
    let first: String
    let second: String

    static let guide = "# Guide\n\nHow to restart the cluster.\n"

    /// Builds delivery 1, changes SOURCE, then builds delivery 2 with `extra` options (so that
    /// `--previous` can be given).
    init(secondExtra: (String) -> [String] = { _ in [] }, sourceLocation: SourceLocation = #_sourceLocation) throws {
        fixture = try bundleSource(extraFiles: ["docs/guide.md": Self.guide, "inventory/licences.csv": "product,seats\nerp,40\n"])
        first = try fixture.buildBundle("delivery-1.tar", sourceLocation: sourceLocation)
        try fixture.write("access/accounts.csv", "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\nbob;erp;user;oui;DSI\n")
        try fixture.remove("inventory/licences.csv")
        try fixture.write("inventory/switches.csv", "name,os\nsw1,ios\n")
        try fixture.remove("docs/guide.md")
        try fixture.write("docs/manuals/guide.md", Self.guide)
        second = try fixture.buildBundle("delivery-2.tar", secondExtra(first), epoch: handoverEpoch + 86_400, sourceLocation: sourceLocation)
    }
}

/// The entry of `deliverables` (a diff's JSON) whose id is `id`.
func deliverableChanges(_ json: [String: Any], _ id: String?, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let list = try #require(json["deliverables"] as? [[String: Any]], "no deliverables in \(json)", sourceLocation: sourceLocation)
    return try #require(list.first { ($0["id"] as? String) == id }, "no deliverable \(id ?? "null") in \(list)", sourceLocation: sourceLocation)
}
