import Foundation
import HandoverKit
import Testing

/// Bags made by bagit-python, the Library of Congress's reference tool, pass; each kind of
/// tampering is caught and names the file, and bagit-python agrees that it is broken.
@Suite("Bags made by bagit-python")
struct BagitPythonTests {
    /// A folder of files turned into a bag in place by `bagit.py` with `arguments`.
    private func makeBag(_ arguments: [String] = [], extraNames: [String] = []) throws -> TempDirectory {
        let tool = try requireTool("bagit.py", install: "pip install bagit")
        let folder = try TempDirectory("bagit-python")
        try folder.write("contracts/CTR-2023-042.txt", "Contrat d'infogérance\n")
        try folder.write("access/accounts list.csv", "account,system,role,mfa,owner\nroot,erp,admin,yes,ops\n")
        try folder.write("exports/100% complete.csv", "id\n1\n2\n")
        for name in extraNames { try folder.write(name, "file \(name)\n") }
        let result = try runProcess(tool, arguments + ["--contact-name", "Jérôme Dupré", folder.path])
        #expect(result.status == 0, "bagit.py: \(result.stderr)")
        return folder
    }

    private func bagitPythonAccepts(_ folder: TempDirectory) throws -> Bool {
        let tool = try requireTool("bagit.py", install: "pip install bagit")
        return try runProcess(tool, ["--validate", folder.path]).status == 0
    }

    private func findings(_ result: BagVerification) -> Set<String> {
        Set(result.problems.map { "\($0.code.rawValue) @ \($0.file)" })
    }

    @Test("A default bag (sha256 and sha512) with names holding spaces and % is valid")
    func defaultBag() throws {
        let folder = try makeBag()
        let result = try verifyFolder(folder.path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.payloadAlgorithms == [.sha256, .sha512])
        #expect(result.tagAlgorithms == [.sha256, .sha512])
        #expect(result.payload.map(\.displayPath) == ["access/accounts list.csv", "contracts/CTR-2023-042.txt", "exports/100% complete.csv"])
        #expect(result.bagInfo?.value("Contact-Name") == "Jérôme Dupré")
        #expect(result.bagInfo?.payloadOxum?.streamCount == 3)
        #expect(result.passes == 1, "a folder gives the manifests first")
        let sha = BagFixture.digest(Array("id\n1\n2\n".utf8), .sha512)
        #expect(result.payload.last?.digests.sha512 == sha)
        #expect(result.tagFile("bag-info.txt") == Array(try folder.read("bag-info.txt")))
    }

    @Test("A bag made with --md5 --sha512 is valid, without a weak-algorithm warning (sha512 is there)")
    func md5AndSha512() throws {
        let folder = try makeBag(["--md5", "--sha512"])
        let result = try verifyFolder(folder.path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.payloadAlgorithms == [.md5, .sha512])
    }

    @Test("A name bagit-python leaves unencoded (50%25) is matched as written, with a warning")
    func unencodedPercent() throws {
        let folder = try makeBag(extraNames: ["50%25 off.txt"])
        #expect(try bagitPythonAccepts(folder))
        let result = try verifyFolder(folder.path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(Set(result.warnings.map(\.code)) == [.percentNotEncoded])
    }

    @Test("A flipped byte in a payload file is caught, naming the file")
    func flippedByte() throws {
        let folder = try makeBag()
        try RawFiles.flipByte(folder.path, "data/access/accounts list.csv", at: 10)
        #expect(try !bagitPythonAccepts(folder))
        let result = try verifyFolder(folder.path)
        #expect(findings(result) == ["checksum-mismatch @ data/access/accounts list.csv"])
        #expect(result.problems.count == 2, "one per payload manifest")
    }

    @Test("An added payload file is caught, naming the file (and Payload-Oxum)")
    func addedFile() throws {
        let folder = try makeBag()
        try folder.write("data/contracts/annex.txt", "slipped in later\n")
        #expect(try !bagitPythonAccepts(folder))
        let result = try verifyFolder(folder.path)
        #expect(findings(result) == ["file-unlisted @ data/contracts/annex.txt", "payload-oxum-mismatch @ bag-info.txt"])
    }

    @Test("A removed payload file is caught, naming the file (and Payload-Oxum)")
    func removedFile() throws {
        let folder = try makeBag()
        try RawFiles.remove(folder.path, "data/exports/100% complete.csv")
        #expect(try !bagitPythonAccepts(folder))
        let result = try verifyFolder(folder.path)
        #expect(findings(result) == ["file-missing @ data/exports/100% complete.csv", "payload-oxum-mismatch @ bag-info.txt"])
    }

    @Test("An edited bag-info.txt is caught by the tag manifests, naming the file")
    func editedBagInfo() throws {
        let folder = try makeBag()
        try RawFiles.append(folder.path, "bag-info.txt", "External-Identifier: CTR-2023-043\n")
        #expect(try !bagitPythonAccepts(folder))
        let result = try verifyFolder(folder.path)
        #expect(findings(result) == ["checksum-mismatch @ bag-info.txt"])
        #expect(result.bagInfo?.value("External-Identifier") == "CTR-2023-043", "still read, for the report")
    }
}
