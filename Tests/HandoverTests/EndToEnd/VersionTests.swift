import Testing

@Suite("The handover binary")
struct VersionTests {
    @Test("--version prints the version and exits 0")
    func version() throws {
        let result = try handover(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("0.1.0"))
    }
}
