import Foundation
import HandoverKit

/// The object store as the commands reach it: the configuration from the environment and the
/// AWS profile files of the user's home, then the listing of an `s3://` SOURCE.
enum ObjectStoreOptions {
    static func configuration() throws -> ObjectStoreConfiguration {
        let environment = ProcessInfo.processInfo.environment
        return try ObjectStoreConfiguration.resolve(environment: environment, home: environment["HOME"])
    }

    /// Lists `text` (`s3://bucket/prefix/`) as a SOURCE.
    static func source(_ text: String) throws -> ObjectSource {
        try ObjectSource.list(ObjectLocation(text), configuration: configuration())
    }
}
