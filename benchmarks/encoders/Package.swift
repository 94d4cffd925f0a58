// swift-tools-version:6.0
//
// Span encoder benchmark: spans/s and allocations/span for OTLP protobuf, Jaeger Thrift, Zipkin JSON and OTLP/JSON.
// Build and run in release: `swift run -c release EncodersBenchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "encoders-benchmark",
    dependencies: [
        .package(name: "tracegw", path: "../.."),
    ],
    targets: [
        // Counts malloc-family calls by interposing them in the benchmark executable.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "EncodersBenchmark",
            dependencies: [
                .product(name: "TraceEncoding", package: "tracegw"),
                .product(name: "TraceCore", package: "tracegw"),
                "CMallocCounter",
            ]
        ),
    ]
)
