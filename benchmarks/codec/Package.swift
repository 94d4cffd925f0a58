// swift-tools-version:6.0
//
// HTTP/1 codec micro-benchmark: ns/request and allocations/request for parsing (and serializing) typical requests.
// Build and run in release: `swift run -c release HTTP1CodecBenchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "codec-benchmark",
    dependencies: [
        .package(name: "tracegw", path: "../.."),
        .package(name: "malloc-counter", path: "../malloc-counter"),
    ],
    targets: [
        .executableTarget(
            name: "HTTP1CodecBenchmark",
            dependencies: [
                .product(name: "HTTP1", package: "tracegw"),
                .product(name: "CMallocCounter", package: "malloc-counter"),
            ]
        ),
    ]
)
