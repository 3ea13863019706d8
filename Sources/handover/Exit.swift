import ArgumentParser
import Foundation
import HandoverKit

/// The one place where an outcome becomes an exit status and a message on stderr.
enum Exit {
    /// A command that ran and found the check failed; its report is already printed.
    struct CheckFailed: Error {}

    static func status(for error: Error, command: ParsableCommand.Type) -> Int32 {
        switch error {
        case is CheckFailed:
            return ExitStatus.checkFailed.rawValue
        case let error as HandoverError:
            // The library says which limit was passed; the command line knows the option that raises it.
            let advice = command is ReadsBundleWithLimits.Type ? LimitOptions.advice(for: error) : nil
            printError([error.errorDescription ?? "\(error)", advice].compactMap { $0 }.joined(separator: " "))
            return error.exitStatus.rawValue
        case let code as ExitCode:
            return code.rawValue
        case let validation as ValidationError:
            // Raised by a command's own checks of its options, after parsing.
            let name = command.configuration.commandName.map { "handover \($0)" } ?? "handover"
            printError("\(validation.message)\nSee '\(name) --help' for the options and examples.")
            return ExitStatus.couldNotRun.rawValue
        default:
            // swift-argument-parser's own errors: help and version go to stdout with status 0,
            // usage mistakes to stderr with status 2 (not its default 64).
            let message = command.fullMessage(for: error)
            if command.exitCode(for: error) == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            if isArgumentParserError(error) {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            } else {
                printError(error.localizedDescription)
            }
            return ExitStatus.couldNotRun.rawValue
        }
    }

    static func isArgumentParserError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// `handover: error: …` on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("handover: error: \(message)\n".utf8))
    }

    /// `warning: …` on stderr.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

/// Where commands print: text for people on stdout, diagnostics on stderr.
enum Console {
    /// Writes text to stdout unbuffered, so it interleaves correctly with stderr.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The output format of commands that can print for machines.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
