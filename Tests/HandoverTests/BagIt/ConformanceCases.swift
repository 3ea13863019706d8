import Foundation
import HandoverKit
import Testing

// Bags of the kinds the Library of Congress bagit-conformance-suite holds, generated here (the
// suite itself is not copied). Each case is named after the suite's folder it stands for; the
// suite scores a bag under valid/ as exit 0, under warning/ as exit 0 with a warning, under
// invalid/ as a failure. Cases marked "checkout" are the suite's bags as some checkouts leave
// them (a file lost to a case-insensitive or normalizing file system).

private let nfcNunez = "data/N\u{FA}\u{F1}ez"
private let nfdNunez = "data/Nu\u{301}n\u{303}ez"

private func files(_ names: String...) -> [(path: [UInt8], bytes: [UInt8])] {
    names.map { (Array($0.utf8), Array("test content of \($0)\n".utf8)) }
}

private func emptyFiles(_ names: String...) -> [(path: [UInt8], bytes: [UInt8])] {
    names.map { (Array($0.utf8), []) }
}

/// A bag as the old drafts made them: md5 manifests, no Payload-Oxum, the metadata file under
/// that draft's name, the payload in nested folders.
private func draftBag(_ version: String, _ change: (inout BagFixture) -> Void = { _ in }) -> BagFixture {
    var fixture = BagFixture()
    fixture.declaration = Array("BagIt-Version: \(version)\nTag-File-Character-Encoding: UTF-8\n".utf8)
    fixture.algorithms = [.md5]
    fixture.writesOxum = false
    fixture.bagInfoName = BagItVersion(parsing: version)?.metadataFileName ?? "bag-info.txt"
    fixture.bagInfo = [("Source-Organization", "Spengler University"), ("Packing-Date", "2009-10-14")]
    fixture.payload = files("data/test1.txt", "data/test2.txt", "data/dir1/test3.txt", "data/dir2/test4.txt", "data/dir2/dir3/test5.txt")
    change(&fixture)
    return fixture
}

private func bag(_ version: String = "0.97", _ change: (inout BagFixture) -> Void) -> BagFixture {
    var fixture = BagFixture()
    fixture.declaration = Array("BagIt-Version: \(version)\nTag-File-Character-Encoding: UTF-8\n".utf8)
    change(&fixture)
    return fixture
}

private func oldVersionCases() -> [BagRule] {
    var cases: [BagRule] = []
    for minor in 93...96 {
        let version = "0.\(minor)"
        let info = minor <= 95 ? "package-info.txt" : "bag-info.txt"
        let expected = BagItVersion(0, minor)
        cases.append(BagRule(
            rule: "v\(version)/valid/basic-bag: read by that draft's rules (\(info)), the old version a warning",
            warnings: [.init(.oldVersion, "bagit.txt"), .init(.weakAlgorithmsOnly, "manifest-md5.txt")],
            bag: draftBag(version),
            check: { $0.declaration?.version == expected && $0.bagInfo?.value("Source-Organization") == "Spengler University" && $0.payload.count == 5 }))
        cases.append(BagRule(
            rule: "v\(version)/valid/duplicate-metadata-entries: repeated labels in \(info) are kept",
            warnings: [.init(.oldVersion, "bagit.txt"), .init(.weakAlgorithmsOnly, "manifest-md5.txt")],
            bag: draftBag(version) {
                $0.bagInfo = [("Source-Organization", "Spengler University"), ("Source-Organization", "Spengler University2"),
                              ("Contact-Name", "Edna Janssen"), ("Contact-Name", "foo Janssen"),
                              ("Packing-Date", "2009-10-14"), ("Packing-Date", "2016-10-14")]
            },
            check: { $0.bagInfo?.values("Contact-Name") == ["Edna Janssen", "foo Janssen"] }))
    }
    cases += [
        BagRule(rule: "v0.95/valid/basic-bag-md5: one space between checksum and path, as md5deep writes",
                warnings: [.init(.oldVersion, "bagit.txt"), .init(.weakAlgorithmsOnly, "manifest-md5.txt")],
                bag: draftBag("0.95") { $0.manifestSeparator = " " }),
        BagRule(rule: "v0.96 (generated): sha1 and sha256 manifests separated by a tab, and a Payload-Oxum that is checked",
                warnings: [.init(.oldVersion, "bagit.txt")],
                bag: draftBag("0.96") { $0.algorithms = [.sha1, .sha256]; $0.manifestSeparator = "\t"; $0.writesOxum = true },
                check: { $0.bagInfo?.payloadOxum?.streamCount == 5 }),
        BagRule(rule: "v0.95 (generated, invalid): a changed payload file fails an old bag too",
                problems: [.init(.checksumMismatch, "data/test1.txt")],
                warnings: [.init(.oldVersion, "bagit.txt"), .init(.weakAlgorithmsOnly, "manifest-md5.txt")],
                bag: draftBag("0.95") { $0.afterWriting = { try RawFiles.flipByte($0, "data/test1.txt") } }),
        BagRule(rule: "v0.93 (generated, invalid): package-info.txt is read, so its wrong Payload-Oxum is caught",
                problems: [.init(.payloadOxumMismatch, "package-info.txt")],
                warnings: [.init(.oldVersion, "bagit.txt"), .init(.weakAlgorithmsOnly, "manifest-md5.txt")],
                bag: draftBag("0.93") { $0.writesOxum = true; $0.oxum = "1.1" }),
        BagRule(rule: "(generated, invalid) BagIt 0.92, older than any draft handover knows, is refused",
                problems: [.init(.unsupportedVersion, "bagit.txt")],
                bag: bag("0.92") { _ in }),
    ]
    return cases
}

private func algorithmCases() -> [BagRule] {
    [
        BagRule(rule: "v0.97/valid/basic-bag-sha1: valid, sha1 alone is weak (a warning)",
                warnings: [.init(.weakAlgorithmsOnly, "manifest-sha1.txt")],
                bag: bag { $0.algorithms = [.sha1] }),
        BagRule(rule: "v0.97/valid/basic-bag-sha224: valid, every file checked with sha224",
                bag: bag { $0.algorithms = [.sha224] },
                check: { $0.payloadAlgorithms == [.sha224] && $0.tagAlgorithms == [.sha224] && $0.payload.first?.digests.sha224?.count == 56 }),
        BagRule(rule: "v0.97/valid/basic-bag-sha256: valid",
                bag: bag { $0.algorithms = [.sha256] }),
        BagRule(rule: "v0.97/valid/basic-bag-sha512: valid",
                bag: bag { $0.algorithms = [.sha512] }),
        BagRule(rule: "(generated) 1.0 with sha384 manifests: valid",
                bag: bag("1.0") { $0.algorithms = [.sha384] },
                check: { $0.payloadAlgorithms == [.sha384] && $0.payload.first?.digests.sha384?.count == 96 }),
        BagRule(rule: "(generated) md5, sha1, sha224, sha256, sha384 and sha512 manifests together: valid",
                bag: bag("1.0") { $0.algorithms = ChecksumAlgorithm.allCases },
                check: { $0.payloadAlgorithms == ChecksumAlgorithm.allCases }),
        BagRule(rule: "(generated, invalid) a changed file fails the sha224 manifest",
                problems: [.init(.checksumMismatch, "data/hello.txt")],
                bag: bag { $0.algorithms = [.sha224]; $0.afterWriting = { try RawFiles.flipByte($0, "data/hello.txt") } }),
        BagRule(rule: "(generated, invalid) a changed file fails the sha384 manifest",
                problems: [.init(.checksumMismatch, "data/hello.txt")],
                bag: bag("1.0") { $0.algorithms = [.sha384]; $0.afterWriting = { try RawFiles.flipByte($0, "data/hello.txt", at: 2) } }),
        BagRule(rule: "(generated) sha256 beside sha3_256: valid, with \"cannot check algorithm sha3_256\"",
                warnings: [.init(.unsupportedAlgorithm, "manifest-sha3_256.txt")],
                bag: bag("1.0") { $0.algorithms = [.sha256]; $0.foreignAlgorithms = ["sha3-256"] }),
        BagRule(rule: "(generated) sha512 beside blake2b: valid, with \"cannot check algorithm blake2b\"",
                warnings: [.init(.unsupportedAlgorithm, "manifest-blake2b.txt")],
                bag: bag("1.0") { $0.algorithms = [.sha512]; $0.foreignAlgorithms = ["blake2b512"] }),
        BagRule(rule: "(generated, invalid) sha3_256 alone: nothing could be checked, so the bag is not called valid",
                problems: [.init(.noPayloadManifest, "manifest-sha3_256.txt")],
                warnings: [.init(.unsupportedAlgorithm, "manifest-sha3_256.txt")],
                bag: bag("1.0") { $0.algorithms = []; $0.foreignAlgorithms = ["sha3-256"] }),
    ]
}

private func nameCases() -> [BagRule] {
    [
        BagRule(rule: "v0.97/warning/filename-normalization: listed in NFC, stored in NFD (the checkout's NFD Núñez)",
                warnings: [.init(.normalizationMismatch, "manifest-sha512.txt")],
                bag: bag {
                    $0.payload = emptyFiles(nfcNunez)
                    $0.manifestSeparator = " "
                    $0.afterWriting = { try RawFiles.rename($0, nfcNunez, to: nfdNunez) }
                }),
        BagRule(rule: "v0.97/warning/same-filename-listed-twice-with-different-normalization, both files restored",
                warnings: [.init(.normalizationCollision, nfdNunez)],
                bag: bag { $0.payload = emptyFiles(nfcNunez, nfdNunez) }),
        BagRule(rule: "same-filename-listed-twice-with-different-normalization, checkout without the NFD file: one line too many",
                problems: [.init(.repeatedManifestEntry, "manifest-sha512.txt"), .init(.missingFile, nfdNunez)],
                bag: bag {
                    $0.payload = emptyFiles(nfcNunez, nfdNunez)
                    $0.writesOxum = false
                    $0.afterWriting = { try RawFiles.remove($0, nfdNunez) }
                }),
        BagRule(rule: "v0.97 data/.DS_Store (lost by some checkouts): valid, with a warning",
                warnings: [.init(.systemFile, "data/.DS_Store")],
                bag: bag { $0.payload += files("data/.DS_Store") }),
        BagRule(rule: "windows-only: data/HELLO.txt beside data/hello.txt, both on Linux: valid, with a case warning",
                warnings: [.init(.caseCollision, "data/HELLO.txt")],
                bag: bag { $0.payload = files("data/HELLO.txt", "data/hello.txt") }),
        BagRule(rule: "windows-only, checkout that kept one of data/HELLO.txt and data/hello.txt: a listed file is missing",
                problems: [.init(.missingFile, "data/HELLO.txt")],
                bag: bag {
                    $0.payload = files("data/HELLO.txt", "data/hello.txt")
                    $0.writesOxum = false
                    $0.afterWriting = { try RawFiles.remove($0, "data/HELLO.txt") }
                }),
        BagRule(rule: "v0.97/darwin-only/precomposed-character-in-filename, on Linux: NFC listed and stored, md5 alone",
                warnings: [.init(.weakAlgorithmsOnly, "manifest-md5.txt")],
                bag: bag {
                    $0.algorithms = [.md5]
                    $0.manifestSeparator = " "
                    $0.payload = files("data/contr\u{F4}le.txt")
                }),
        // The suite's bagit.txt, as its tag manifest's sha256 shows: a space before each colon.
        BagRule(rule: "v0.97/invalid/bagit-with-invalid-whitespace: a space before the colon in bagit.txt",
                problems: [.init(.malformedDeclaration, "bagit.txt")],
                bag: bag { $0.declaration = Array("BagIt-Version : 0.97\nTag-File-Character-Encoding : UTF-8\n".utf8) }),
        BagRule(rule: "v0.97/invalid/out-of-scope-file-paths-using-dot-notation",
                problems: [.init(.parentPath, "manifest-md5.txt")],
                warnings: [.init(.weakAlgorithmsOnly, "manifest-md5.txt")],
                bag: bag {
                    $0.algorithms = [.md5]
                    $0.extraManifestLines = ["\(BagFixture.digest(Array("outside\n".utf8), .md5))  data/../../outside.txt"]
                }),
    ]
}

/// The suite's local-fetch bag (made by bagit-create): fetch.txt names a local `file:///` URL.
/// A URL without a host is still an absolute URI (RFC 3986), which bagit-python once refused.
private func fetchCases() -> [BagRule] {
    let picture = "data/sachiel.png"
    let line = "file:///home/user/example_bags/source/sachiel.png 42000 \(picture)\n"
    let payload: [(path: [UInt8], bytes: [UInt8])] = [(Array(picture.utf8), [UInt8](repeating: 0x5A, count: 42_000))]
    return [
        BagRule(rule: "v0.97/valid/local-fetch: a file:/// URL in fetch.txt, for a file that is also in the bag",
                bag: bag {
                    $0.bagInfo = [("Bag-Software-Agent", "bagit-create 0.1.1"), ("Bagging-Date", "2021-11-18")]
                    $0.payload = payload
                    $0.fetch = line
                },
                check: { !$0.isHoley && $0.fetchItems.map(\.url) == ["file:///home/user/example_bags/source/sachiel.png"] }),
        BagRule(rule: "(generated, invalid) local-fetch with the file not yet fetched: holey, hence incomplete",
                problems: [.init(.holeyBag, "fetch.txt")],
                bag: bag {
                    $0.payload = payload
                    $0.fetch = line
                    $0.afterWriting = { try RawFiles.remove($0, picture) }
                },
                check: { $0.isHoley && $0.fetchItems.count == 1 }),
    ]
}

/// Every generated conformance case, in the suite's order: old versions, algorithms, fetch, names.
let conformanceCases: [BagRule] = oldVersionCases() + algorithmCases() + fetchCases() + nameCases()
