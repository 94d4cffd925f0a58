// swift-tools-version:6.0
//
// HTTP/1 codec micro-benchmark: ns/request and allocations/request for parsing (and serializing) typical requests.
// Build and run in release: `swift run -c release HTTP1CodecBenchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "codec-benchmark",
    dependencies: [
        .package(name: "tracegw", path: "../.."),
    ],
    targets: [
        // Counts malloc-family calls by interposing them in the benchmark executable.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "HTTP1CodecBenchmark",
            dependencies: [
                .product(name: "HTTP1", package: "tracegw"),
                "CMallocCounter",
            ]
        ),
    ]
)
