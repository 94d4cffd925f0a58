// swift-tools-version:6.0
//
// Load benchmarks for tracegw's I/O layer, kept out of the root package so they never slow its builds.
// Build in release with its own scratch path: see hello/run.sh.
import PackageDescription

let package = Package(
    name: "tracegw-load-benchmarks",
    dependencies: [
        .package(name: "tracegw", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "hello",
            dependencies: [.product(name: "NetIO", package: "tracegw")],
            path: "hello",
            exclude: ["run.sh"]
        ),
    ]
)
