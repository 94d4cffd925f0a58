// swift-tools-version:6.0
//
// Span encoder benchmark: spans/s and allocations/span for OTLP protobuf, Jaeger Thrift, Zipkin JSON and OTLP/JSON.
// Build and run in release: `swift run -c release EncodersBenchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "encoders-benchmark",
    dependencies: [
        .package(name: "tracegw", path: "../.."),
        .package(name: "malloc-counter", path: "../malloc-counter"),
    ],
    targets: [
        .executableTarget(
            name: "EncodersBenchmark",
            dependencies: [
                .product(name: "TraceEncoding", package: "tracegw"),
                .product(name: "TraceCore", package: "tracegw"),
                .product(name: "CMallocCounter", package: "malloc-counter"),
            ]
        ),
    ]
)
