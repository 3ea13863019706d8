/// A deliverable that is not a set of files but a fact the provider attests (a knowledge-transfer
/// session held, licences transferred, accounts handed over in person): `kind: attestation` in
/// the manifest, with the evidence the contract expects.
///
/// Either way the evidence is a file of SOURCE, so it is packed and listed in the bag's payload
/// manifest, which the tag manifest covers, which `build --sign` signs: the attestation is
/// covered by the provider's signature like every deliverable.
package enum Attestation: Sendable, Equatable {
    /// `evidence: {path: "attestations/transfert-*.pdf"}`: a signed document (a scan, a signed
    /// PDF) matching the glob; attested when one is present.
    case signedDocument(glob: String)
    /// `evidence: statement`: a text the provider writes in `attestations/<id>.txt` in SOURCE;
    /// attested when that file is present and not empty.
    case statement

    /// Where a statement is written, relative to SOURCE.
    package static func statementPath(id: String) -> String { "attestations/\(id).txt" }

    /// The word for JSON: `signed-document` or `statement`.
    package var evidenceName: String {
        switch self {
        case .signedDocument: "signed-document"
        case .statement: "statement"
        }
    }
}
