import Foundation

/// What a provider certifies at the end of a contract: which data was deleted or returned, how,
/// when, and what is kept under a legal retention duty, until when.
public struct CertificateBody: Codable, Sendable, Equatable {
    /// A kind of data the certificate covers.
    package enum Category: String, Codable, Sendable, CaseIterable {
        /// The client's data as the service held it (databases, files, mailboxes).
        case productionData = "production-data"
        /// Backups and archives, on every medium and site.
        case backups
        /// Technical data: directory entries, accounts, certificates and keys, logs, configurations.
        case technicalData = "technical-data"
    }

    /// How data was deleted (SecNumCloud 3.2 §19.4 names these three).
    package enum Method: String, Codable, Sendable, CaseIterable {
        /// Overwritten in place.
        case overwrite
        /// Encrypted data made unreadable by destroying every copy of its keys.
        case cryptoErasure = "crypto-erasure"
        /// The media were physically destroyed.
        case mediaDestruction = "media-destruction"
    }

    /// One part of the scope: a category, and what it covers in the provider's words.
    package struct Scope: Codable, Sendable, Equatable {
        package var category: Category
        package var description: String?

        package init(category: Category, description: String?) {
            self.category = category
            self.description = description
        }
    }

    /// Data kept under a legal duty: what, until when, on which ground.
    package struct Retention: Codable, Sendable, Equatable {
        package var what: String
        /// The date (YYYY-MM-DD) until which it is kept, then deleted.
        package var until: String
        package var basis: String?

        package init(what: String, until: String, basis: String?) {
            self.what = what
            self.until = until
            self.basis = basis
        }
    }

    package var scope: [Scope]
    /// How it was deleted (deletion certificates; nil for a return).
    package var method: Method?
    /// When it was done (YYYY-MM-DD).
    public var date: String
    package var retention: [Retention]
    /// Who certifies, as they sign (person, role, company).
    public var certifiedBy: String
    /// To whom the data was returned (return certificates).
    public var returnedTo: String?
    /// Anything the provider adds.
    public var notes: String?

    package init(scope: [Scope], method: Method?, date: String, retention: [Retention], certifiedBy: String,
                returnedTo: String? = nil, notes: String? = nil) {
        self.scope = scope
        self.method = method
        self.date = date
        self.retention = retention
        self.certifiedBy = certifiedBy
        self.returnedTo = returnedTo
        self.notes = notes
    }
}
