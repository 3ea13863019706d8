import Foundation

/// Any JSON value, as read from a file whose keys are checked one by one afterwards (a BagIt
/// Profile), so that a wrong type is named by its key rather than by a decoder's coding path.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            // Valid JSON that no Swift value holds: a number beyond Double's range.
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "it holds a value that cannot be read, such as a number out of range")
        }
    }

    /// Parses `bytes`; throws the parser's reason, in words, when they are not JSON.
    static func decode(_ bytes: [UInt8]) throws(ProfileError.Reason) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .notJSON(reason(error))
        } catch {
            throw .notJSON("\(error)")
        }
    }

    /// The decoder's own explanation (its underlying parser error names line and column).
    private static func reason(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let found), .typeMismatch(_, let found), .valueNotFound(_, let found), .keyNotFound(_, let found):
            context = found
        @unknown default:
            return "\(error)"
        }
        if let underlying = context.underlyingError as NSError?,
           let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return detail
        }
        return context.debugDescription
    }

    /// What kind of value this is, in words, for messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
