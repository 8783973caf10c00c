// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Cadence",
    products: [
        .executable(name: "cadence", targets: ["cadence"]),
        .library(name: "CadenceKit", targets: ["CadenceKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // C libraries, found through pkg-config; `scripts/bootstrap` installs them.
        .systemLibrary(
            name: "CSndfile",
            pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]
        ),
        .systemLibrary(
            name: "CSamplerate",
            pkgConfig: "samplerate",
            providers: [.apt(["libsamplerate0-dev"])]
        ),
        .systemLibrary(
            name: "CEbur128",
            pkgConfig: "libebur128",
            providers: [.apt(["libebur128-dev"])]
        ),
        // The engine: routine -> timeline -> mixer -> writer.
        .target(
            name: "CadenceKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "CSndfile",
                "CSamplerate",
                "CEbur128",
            ],
            // The player's and the site's scripts and style sheets, built into the binary.
            resources: [
                .embedInCode("Player/Resources/player.js"),
                .embedInCode("Player/Resources/player.css"),
                .embedInCode("Site/Resources/site.js"),
                .embedInCode("Site/Resources/site.css"),
                .embedInCode("Site/Resources/site-page.css"),
                .embedInCode("Site/Resources/service-worker.js"),
            ]
        ),
        // The command-line tool: a thin layer over CadenceKit.
        .executableTarget(
            name: "cadence",
            dependencies: [
                "CadenceKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("Resources/routine-format.md")]
        ),
        // What both test targets share: the process runner, the WAV writer, `ScratchFolder` and
        // fixture files (Tests/CadenceTestSupport/Fixtures).
        .target(
            name: "CadenceTestSupport",
            path: "Tests/CadenceTestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CadenceKitTests",
            dependencies: ["CadenceKit", "CadenceTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CadenceCLITests",
            dependencies: ["CadenceKit", "cadence", "CadenceTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
