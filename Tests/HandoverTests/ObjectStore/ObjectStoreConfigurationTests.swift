import Foundation
import Testing
@testable import HandoverKit

/// The credential chain: environment first, then the profile files, and errors that name the
/// variable to check.
@Suite struct ObjectStoreConfigurationTests {
    @Test func theEnvironmentComesFirst() throws {
        let home = try TempDirectory()
        try home.write(".aws/credentials", "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = filesecret\n")
        let configuration = try ObjectStoreConfiguration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "FROMENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "tok",
            "AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL": "http://127.0.0.1:7480/",
        ], home: home.path)
        #expect(configuration.credentials == ObjectStoreCredentials(accessKeyID: "FROMENV", secretAccessKey: "envsecret", sessionToken: "tok"))
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.endpoint.description == "http://127.0.0.1:7480")
    }

    @Test func aNamedProfileGivesKeysRegionAndEndpoint() throws {
        let home = try TempDirectory()
        try home.write(".aws/credentials", """
            [default]
            aws_access_key_id = DEFAULTKEY
            aws_secret_access_key = defaultsecret

            [archive]
            aws_access_key_id = ARCHIVEKEY
            aws_secret_access_key = archivesecret
            aws_session_token = archivetoken
            """)
        try home.write(".aws/config", "[profile archive]\nregion = eu-central-1\nendpoint_url = https://s3.example.net:443\n")
        let configuration = try ObjectStoreConfiguration.resolve(environment: ["AWS_PROFILE": "archive"], home: home.path)
        #expect(configuration.credentials == ObjectStoreCredentials(accessKeyID: "ARCHIVEKEY", secretAccessKey: "archivesecret", sessionToken: "archivetoken"))
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.endpoint.description == "https://s3.example.net")
        #expect(configuration.credentialSource.contains("profile archive"))
    }

    @Test func withNothingTheDefaultsAreAWSAndTheErrorSaysWhatToSet() throws {
        let home = try TempDirectory()
        #expect(throws: ObjectStoreError.noCredentials) { try ObjectStoreConfiguration.resolve(environment: [:], home: home.path) }
        let message = ObjectStoreError.noCredentials.errorDescription ?? ""
        #expect(message.contains("AWS_ACCESS_KEY_ID") && message.contains("AWS_PROFILE"))
        let configuration = try ObjectStoreConfiguration.resolve(environment: ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"], home: home.path)
        #expect(configuration.region == "us-east-1")
        #expect(configuration.endpoint.description == "https://s3.us-east-1.amazonaws.com")
    }

    @Test func anUnknownProfileIsNamed() throws {
        let home = try TempDirectory()
        try home.write(".aws/credentials", "[default]\naws_access_key_id = k\naws_secret_access_key = s\n")
        #expect(throws: ObjectStoreError.self) { try ObjectStoreConfiguration.resolve(environment: ["AWS_PROFILE": "nope"], home: home.path) }
        do {
            _ = try ObjectStoreConfiguration.resolve(environment: ["AWS_PROFILE": "nope"], home: home.path)
        } catch {
            #expect(error.errorDescription?.contains("nope") == true)
            #expect(error.errorDescription?.contains("AWS_PROFILE") == true)
        }
    }

    @Test func aCredentialsFileThatIsAFolderIsRefusedNotFollowed() throws {
        let home = try TempDirectory()
        try FileManager.default.createDirectory(atPath: home.path(".aws/credentials"), withIntermediateDirectories: true)
        #expect(throws: ObjectStoreError.self) { try ObjectStoreConfiguration.resolve(environment: [:], home: home.path) }
    }

    @Test(arguments: ["127.0.0.1:7480", "ftp://host", "http://", "http://host/path", "http://user@host", "http://host:99999", "http://host:x"])
    func badEndpointsNameTheVariable(_ text: String) {
        #expect(throws: ObjectStoreError.badEndpoint(text)) { try ObjectStoreEndpoint(text) }
        #expect(ObjectStoreError.badEndpoint(text).errorDescription?.contains("AWS_ENDPOINT_URL") == true)
    }

    @Test func locationsAreBucketAndPrefix() throws {
        #expect(try ObjectLocation("s3://client-data/export/2026/") == ObjectLocation(bucket: "client-data", prefix: "export/2026/"))
        #expect(try ObjectLocation("s3://client-data") == ObjectLocation(bucket: "client-data", prefix: ""))
        for bad in ["s3://", "s3://UPPER/x", "s3://ab/x", "/tmp/x", "s3://bucket/a\u{1}b"] {
            #expect(throws: ObjectStoreError.badLocation(bad)) { try ObjectLocation(bad) }
        }
    }
}
