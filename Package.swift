// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: mlci → MLCICore → MLCIGit → CLibgit2.
// MLCIGit is the only target that sees the C API; everything above it works on value types.
let package = Package(
    name: "mlci",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mlci", targets: ["mlci"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libgit2's headers. Linking is MLCIGit's: on Linux statically, from Debian's archives
        // (libgit2-dev and the -dev packages of its dependencies), so start-up loads no shared
        // libgit2, mbedTLS, libssh2 or Kerberos, and its network parts are replaced (CGitOffline).
        .systemLibrary(
            name: "CLibgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "CGitOffline"),
        .target(
            name: "MLCIGit",
            dependencies: ["CLibgit2", "CGitOffline"],
            linkerSettings: [
                .unsafeFlags(
                    [
                        "libgit2.a", "libmbedcrypto.a", "libhttp_parser.a", "libpcre2-8.a", "libssh2.a", "libcrypto.a",
                        "libz.a",
                    ].flatMap { ["-Xlinker", "-l:" + $0] }, .when(platforms: [.linux])),
                .linkedLibrary("dl", .when(platforms: [.linux])),
                .linkedLibrary("pthread", .when(platforms: [.linux])),
                .linkedLibrary("git2", .when(platforms: [.macOS])),
            ]
        ),
        // The one place that starts processes (posix_spawn in a new process group).
        .target(name: "CProcess"),
        .target(name: "MLCICore", dependencies: ["MLCIGit", "CProcess", "Yams"]),
        .executableTarget(
            name: "mlci",
            dependencies: [
                "MLCICore",
                "MLCIGit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "MLCITestSupport", dependencies: ["MLCIGit"]),
        .testTarget(name: "MLCIGitTests", dependencies: ["MLCIGit", "MLCITestSupport"]),
        .testTarget(name: "MLCICoreTests", dependencies: ["MLCICore", "MLCIGit", "MLCITestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MLCITestSupport", "MLCICore", "Yams"]),
    ],
    swiftLanguageModes: [.v6]
)
