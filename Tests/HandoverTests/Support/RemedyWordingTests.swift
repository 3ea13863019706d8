import Foundation
@testable import HandoverKit
import Testing

/// The library says what is wrong and which remedy applies; the command line names the flag.
/// A library caller reads no flag of `handover`, and the person at the terminal reads the same
/// sentences as before, with the flag in its place.
@Suite("library errors carry a typed remedy; the command line words it with its flags")
struct RemedyWordingTests {
    @Test("the library's messages name no flag, and say which remedy applies")
    func libraryMessages() {
        let exists = FileError.outputExists("/tmp/acme.tar")
        #expect(exists.remedy == .replaceOutput)
        #expect(exists.errorDescription == "/tmp/acme.tar: already exists; choose another output")
        let notEmpty = ExtractError.destinationNotEmpty("out")
        #expect(notEmpty.remedy == .writeIntoFolder)
        #expect(notEmpty.errorDescription == "out is not empty; extract into an empty or new folder.")
        let recipients = BuildError.noRecipients(["break-glass"])
        #expect(recipients.remedy == .giveRecipients)
        #expect(recipients.errorDescription == "deliverable break-glass is confidential, and no recipient was given to encrypt for. Nothing was written.")
        let folder = BuildError.remoteNeedsObjects("/srv/export")
        #expect(folder.remedy == .packPayload)
        #expect(folder.errorDescription == "a remote payload stays in object storage, listed in fetch.txt, so SOURCE must be s3://bucket/prefix/; /srv/export is a folder. Nothing was written.")
        let confidential = BuildError.remoteConfidential(["break-glass"])
        #expect(confidential.remedy == .packPayload && BuildError.unsafeFetchPath("s3://b/k", "has a line break").remedy == .packPayload)
        for error in [exists, notEmpty, recipients, folder, confidential, BuildError.unsafeFetchPath("s3://b/k", "has a line break")] as [any RemediableError] {
            #expect(!(error.errorDescription ?? "").contains("--"), "\(error)")
        }
        #expect(ExtractError.linkInDestination("out").remedy == nil)
    }

    @Test("a bag without a manifest: the library says so, the command line says how to check an export folder")
    func noManifestRemedy() throws {
        let temp = try TempDirectory("remedy-no-manifest")
        try temp.write("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        do {
            _ = try BundleVerification.deliverables(path: temp.path("bag"))
            Issue.record("a bag without handover/manifest.yaml gave deliverables")
        } catch let error as FileError {
            #expect(error.remedy == .giveManifest)
            #expect(error.errorDescription == "\(temp.path("bag")): carries no handover/manifest.yaml, so it has no list of deliverables (was it made by handover build?).")
        }
        let empty = ManifestError.empty("handover.yaml")
        #expect(empty.remedy == .startFromTemplate && empty.errorDescription == "handover.yaml: the manifest is empty")
        let wrong = StatementError.wrongKind("c.json", found: .deletion, expected: "receipt")
        #expect(wrong.remedy == .checkStatement(.deletion) && wrong.errorDescription == "c.json is a deletion statement, not a receipt.")
        let emptyFile = try temp.write("empty.yaml", "# nothing yet\n")
        let refused = try handover(["missing", "--manifest", emptyFile, temp.path("bag")])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(emptyFile): the manifest is empty; start from a template: handover init --template minimal"), "\(refused.stderr)")
        let cli = try handover(["missing", temp.path("bag")])
        #expect(cli.status == 2)
        #expect(cli.stderr.contains("(was it made by handover build?). To check an export folder, give its manifest: handover missing --manifest FILE SOURCE"), "\(cli.stderr)")
    }

    @Test("with the caller's advice, the sentence reads as one")
    func adviceInPlace() {
        #expect(FileError.outputExists("a.html", choose: "--html").message(advice: "or do X")
            == "a.html: already exists; choose another --html or do X")
        #expect(ExtractError.destinationNotEmpty("out").message(advice: "or do X") == "out is not empty; extract into an empty or new folder, or do X.")
        #expect(BuildError.noRecipients(["a", "b"]).message(advice: "add X")
            == "deliverables a, b are confidential, and no recipient was given to encrypt for; add X. Nothing was written.")
    }

    @Test("handover words each remedy with its flag: the terminal reads the sentences it always did")
    func commandLineWording() throws {
        let work = try TempDirectory("handover-remedy")
        let manifest = work.path("handover.yaml")
        #expect(try handover(["init", "--template", "minimal", "--output", manifest]).status == 0)
        let again = try handover(["init", "--template", "minimal", "--output", manifest])
        #expect(again.status == 2)
        #expect(again.stderr == "handover: error: \(manifest): already exists; choose another output or pass --force to replace it\n", "\(again.stderr)")

        try work.write("out/keep.txt", "here before\n")
        let fixture = try plainSource()
        let bundle = try buildBundle(fixture, output: work.path("acme.tar"))
        let refused = try handover(["extract", bundle, "--to", work.path("out")])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("handover: error: \(work.path("out")) is not empty; extract into an empty or new folder, "
            + "or pass --force to write into it (files of the same name are replaced).\n"), "\(refused.stderr)")
    }
}
