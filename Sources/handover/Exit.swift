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
            printError([Remedies.message(error), advice].compactMap { $0 }.joined(separator: " "))
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
        Console.err("handover: error: \(message)\n")
    }

    /// Reasons a check failed, indented under the error that announces them, at most `limit`.
    static func printReasons(_ reasons: [String], limit: Int = 20) {
        for reason in reasons.prefix(limit) { Console.err("  \(reason)\n") }
        if reasons.count > limit { Console.err("  … and \(reasons.count - limit) more\n") }
    }

    /// `warning: …` on stderr.
    static func printWarning(_ message: String) {
        Console.err("warning: \(message)\n")
    }
}

/// Where commands print: text for people on stdout, diagnostics on stderr.
enum Console {
    /// Writes text to stdout unbuffered, so it interleaves correctly with stderr.
    ///
    /// Names in the text are already escaped where they were made (`VisibleText.name`); this
    /// last guard writes out any control or bidirectional character that is left, so that no
    /// input can move the cursor or redraw what was printed.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(VisibleText.lines(text).utf8))
    }

    /// Writes a JSON document to stdout: its names stay valid JSON (`VisibleText.json`).
    static func json(_ text: String) {
        json(bytes: Array(text.utf8))
    }

    /// Writes a piece of a JSON document to stdout, cut between characters, the same way.
    static func json(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(VisibleText.json(bytes: bytes)))
    }

    /// Runs `body`, which reads a bundle; when it refuses the bundle before any verdict (exit
    /// status 1: an unsafe entry, a damaged archive) and JSON was asked for, prints the refusal
    /// as JSON (`RefusalJSON`) before the error goes on to stderr, so that a program always has
    /// JSON to read.
    static func refusalAsJSON<Result>(_ json: Bool, path: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as HandoverError where json && error.exitStatus == .checkFailed {
            Console.json(RefusalJSON(path: path, refused: Remedies.message(error)).encoded())
            throw error
        }
    }

    /// Writes text to stderr, with the same guard.
    static func err(_ text: String) {
        FileHandle.standardError.write(Data(VisibleText.lines(text).utf8))
    }
}

/// The output format of commands that can print for machines.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
