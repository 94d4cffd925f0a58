// swift-tools-version:6.1
//
// Micro-benchmarks for TraceCore (ordo-one/benchmark with the malloc interposer, so allocations/op are reported).
// Run from this directory: swift package --scratch-path .build-bench -c release benchmark
import PackageDescription

let package = Package(
    name: "TraceCoreMicroBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "tracegw", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TraceCoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TraceCore", package: "tracegw"),
            ],
            path: "Benchmarks/TraceCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
