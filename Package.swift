// swift-tools-version: 6.0
import PackageDescription

// Linux only: the code calls Glibc directly (file descriptors, signals, locales) and CI runs
// on Debian. No `platforms:` entry, since it would promise a macOS build nobody makes.
let package = Package(
    name: "handover",
    products: [
        .executable(name: "handover", targets: ["handover"]),
        .library(name: "HandoverKit", targets: ["HandoverKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // libarchive through its C API (Debian: libarchive-dev).
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // libcurl through its C API (Debian: libcurl4-openssl-dev): the S3 client's transport.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The core: manifest, collect, check, pack, read, verify, report and the formats.
        .target(
            name: "HandoverKit",
            dependencies: [
                "CArchive",
                "CCurl",
                // Also reached: Yams's libyaml target CYaml (Manifest/AliasGuard.swift reads its
                // events). Yams does not export it (it imports it internally) and SwiftPM offers
                // no product for it; it is visible only because a target sees the modules of its
                // dependencies' targets. Kept to that one file; see the comment there.
                "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA (PKCS#1 v1.5) for ssh-rsa keys in SSH signatures; X509 already builds it.
                // Also reached: swift-crypto's BoringSSL target CCryptoBoringSSL, for age's
                // ssh-rsa stanza (RSA-OAEP with a label, which _CryptoExtras cannot set); visible
                // the same way as CYaml above, and kept to Formats/Age/AgeRSAOAEP.swift.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            // The BagIt Profile beside the templates is read from Manifests/ by people and
            // tools (verify --profile FILE), not compiled in.
            exclude: ["Templates/handover-bagit-profile.json"],
            resources: [
                // The manifest templates of Manifests/, compiled into the binary so that an
                // installed `handover` has them (Templates is a link to ../../Manifests).
                .embedInCode("Templates/infogerance.yaml"),
                .embedInCode("Templates/infogerance.fr.yaml"),
                .embedInCode("Templates/eu-data-act.yaml"),
                .embedInCode("Templates/minimal.yaml"),
                .embedInCode("Templates/handover-manifest.schema.json"),
            ]
        ),
        // The command line: thin swift-argument-parser commands over HandoverKit.
        .executableTarget(
            name: "handover",
            dependencies: [
                "HandoverKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Unit tests on HandoverKit and end-to-end tests that run the built `handover` binary
        // (the dependency on the executable makes `swift test` build it first).
        .testTarget(name: "HandoverTests", dependencies: ["HandoverKit", "handover"]),
    ]
)
