// swift-tools-version:6.0
//
// tracegw: a reverse-proxy tracing gateway.
//
// Modules stack one way (see ../shared/STYLE.md):
//   tracegw (executable) -> TraceGatewayCLI -> Gateway -> TraceExport -> TraceEncoding -> TraceCore
//   Gateway/TraceExport -> HTTP1, NetIO -> IOCore, CSystemShims
// TraceCore, TraceEncoding, IOCore and HTTP1 do no I/O and import no Foundation.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds skip the dynamic exclusivity checks (they cost about 5 % of the proxy's CPU per request:
    // swift_beginAccess, the access set in thread-local storage). Debug builds, which every test runs, keep them.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "tracegw",
    products: [
        .executable(name: "tracegw", targets: ["tracegw"]),
        .library(name: "TraceCore", targets: ["TraceCore"]),
        // For benchmarks/codec, which depends on the root package by path.
        .library(name: "HTTP1", targets: ["HTTP1"]),
        // Our I/O layer, exported so the load benchmark package (benchmarks/load) can depend on it by path.
        .library(name: "NetIO", targets: ["NetIO", "IOCore"]),
        // For benchmarks/encoders, which depends on the root package by path.
        .library(name: "TraceEncoding", targets: ["TraceEncoding"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C shims: only what Swift's Glibc module and OpenSSL's macros do not expose.
        .target(name: "CSystemShims"),
        .systemLibrary(
            name: "CNghttp2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenSSL macros (SSL_CTX_set_min_proto_version, SSL_set_tlsext_host_name, BIO_get_mem_data...) as functions.
        .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),

        // Pure layers: no syscalls, no Foundation.
        .target(name: "IOCore", swiftSettings: swiftSettings),
        // The CPU's prefetch hint for the span record pool (header-only C).
        .target(name: "CPrefetch"),
        .target(name: "TraceCore", dependencies: ["CPrefetch"], swiftSettings: swiftSettings),
        .target(name: "TraceEncoding", dependencies: ["TraceCore"], swiftSettings: swiftSettings),
        .target(name: "HTTP1", dependencies: ["IOCore"], swiftSettings: swiftSettings),

        // I/O: event loops over a private epoll per loop, sockets, timers.
        .target(name: "NetIO", dependencies: ["IOCore", "CSystemShims", "COpenSSL", "COpenSSLShims"], swiftSettings: swiftSettings),

        // HTTP/2 framing over nghttp2: HTTP2Session is the only type that touches the library.
        .target(name: "HTTP2", dependencies: ["CNghttp2", "IOCore"], swiftSettings: swiftSettings),

        // Exporters over our own I/O layer.
        .target(
            name: "TraceExport",
            dependencies: ["TraceCore", "TraceEncoding", "NetIO", "HTTP1", "HTTP2", "IOCore", "CZlib"],
            swiftSettings: swiftSettings
        ),

        // The proxy: workers, frontend/backend, exchanges, routing, gateway configuration.
        .target(
            name: "Gateway",
            dependencies: [
                "TraceCore", "TraceEncoding", "TraceExport", "NetIO", "HTTP1", "IOCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Command line, config file loading, signals.
        .target(
            name: "TraceGatewayCLI",
            dependencies: [
                "Gateway", "TraceCore", "TraceExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "tracegw", dependencies: ["TraceGatewayCLI"], swiftSettings: swiftSettings),

        // Tests mirror Sources/.
        .testTarget(name: "IOCoreTests", dependencies: ["IOCore"], swiftSettings: swiftSettings),
        .testTarget(name: "TraceCoreTests", dependencies: ["TraceCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TraceEncodingTests", dependencies: ["TraceEncoding", "TraceCore"],
            exclude: ["Fixtures"],  // golden files and their Python generator, read by path from the tests
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "IOCore"], swiftSettings: swiftSettings),
        .testTarget(name: "NetIOTests", dependencies: ["NetIO", "IOCore"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTP2Tests", dependencies: ["HTTP2", "IOCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TraceExportTests",
            dependencies: ["TraceExport", "TraceCore", "NetIO", "HTTP2", "IOCore", "CZlib"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "TraceCore", "HTTP1"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TraceGatewayCLITests",
            dependencies: ["TraceGatewayCLI", "Gateway", "TraceCore"],
            swiftSettings: swiftSettings
        ),
    ]
)
