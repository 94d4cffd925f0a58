// swift-tools-version:6.0
//
// Counts malloc-family calls by interposing them in the executable that links it; shared by the codec and encoder
// benchmarks (their allocations-per-operation figures).
import PackageDescription

let package = Package(
    name: "malloc-counter",
    products: [
        .library(name: "CMallocCounter", targets: ["CMallocCounter"]),
    ],
    targets: [
        .target(name: "CMallocCounter"),
    ]
)
