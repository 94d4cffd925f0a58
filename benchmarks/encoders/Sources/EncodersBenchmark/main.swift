// Span encoder benchmark. Encodes batches of typical gateway spans into a reused buffer and prints ns/span (best and
// median of several rounds), spans/s (from the median), bytes/span and allocations/span (malloc-family calls counted
// by CMallocCounter, after a warm-up). Timings are reported, never asserted; allocation counts are deterministic, so
// a scenario over its allocation budget makes the binary exit 1.
import CMallocCounter
import Glibc
import TraceCore
import TraceEncoding

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func nanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// A runtime (heap or small) string, as the gateway builds values from request bytes, not a literal.
func runtime(_ s: String) -> String {
    String(decoding: Array(s.utf8), as: UTF8.self)
}

/// The 17 attributes the gateway sets on a SERVER span (Sources/Gateway/Tracing/HTTPSpanAttributes.swift plus the
/// response status and body size, the backend's address and its time to first byte, a double in seconds), with
/// realistic values.
func serverSpan(_ i: Int) -> FinishedSpan {
    var a = SpanAttributeList(limits: .default)
    a.set(SemanticAttributes.httpRequestMethod, "GET")
    a.set(SemanticAttributes.urlPath, .string(runtime("/api/v1/jobs/\(100_000 + i)")))
    a.set(SemanticAttributes.urlQuery, .string(runtime("page=2&limit=50")))
    a.set(SemanticAttributes.urlScheme, "http")
    a.set(SemanticAttributes.httpRoute, .string(runtime("/api/v1/jobs/{id}")))
    a.set(SemanticAttributes.serverAddress, .string(runtime("gateway.example.com")))
    a.set(SemanticAttributes.serverPort, .int(8080))
    a.set(SemanticAttributes.networkPeerAddress, .string(runtime("10.1.2.\(i % 250)")))
    a.set(SemanticAttributes.networkPeerPort, .int(Int64(40_000 + i % 20_000)))
    a.set(SemanticAttributes.clientAddress, .string(runtime("10.1.2.\(i % 250)")))
    a.set(SemanticAttributes.clientPort, .int(Int64(40_000 + i % 20_000)))
    a.set(SemanticAttributes.networkProtocolVersion, "1.1")
    a.set(SemanticAttributes.userAgentOriginal, .string(runtime("Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0")))
    a.set(SemanticAttributes.httpResponseStatusCode, .int(200))
    a.set(SemanticAttributes.httpResponseBodySize, .int(1834))
    a.set("tracegw.backend.address", .string(runtime("backend:9000")))
    a.set("tracegw.backend.time_to_first_byte", .double(Double(41_000 + i % 60_000) / 1e9))
    precondition(a.count == 17)
    let start = 1_764_000_000_000_000_000 + UInt64(i) * 1_000_003
    return FinishedSpan(
        name: "GET /api/v1/jobs/{id}",
        kind: .server,
        context: SpanContext(
            traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6 &+ UInt64(i), low: 0xa3ce_929d_0e0e_4736 &* UInt64(i + 1)),
            spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7 &+ UInt64(i)), traceFlags: .sampled),
        parentSpanID: SpanID(rawValue: 0x1122_3344_5566_7788 &+ UInt64(i)),
        startTimeUnixNano: start,
        endTimeUnixNano: start + 1_543_212,
        attributes: a,
        scope: InstrumentationScope(name: "tracegw", version: "0.1.0"))
}

/// The gateway's CLIENT span for a backend attempt (8 attributes, one ERROR status every 16th).
func clientSpan(_ i: Int) -> FinishedSpan {
    var a = SpanAttributeList(limits: .default)
    a.set(SemanticAttributes.httpRequestMethod, "GET")
    a.set(SemanticAttributes.urlFull, .string(runtime("http://backend:9000/api/v1/jobs/\(100_000 + i)?page=2&limit=50")))
    a.set(SemanticAttributes.serverAddress, .string(runtime("backend")))
    a.set(SemanticAttributes.serverPort, .int(9000))
    a.set(SemanticAttributes.networkPeerAddress, .string(runtime("127.0.0.1")))
    a.set(SemanticAttributes.networkPeerPort, .int(9000))
    a.set(SemanticAttributes.networkProtocolVersion, "1.1")
    a.set(SemanticAttributes.httpResponseStatusCode, .int(i % 16 == 0 ? 503 : 200))
    var span = serverSpan(i)
    span.name = "GET"
    span.kind = .client
    span.parentSpanID = span.context.spanID
    span.context.spanID = SpanID(rawValue: span.context.spanID.rawValue ^ 0xFFFF)
    span.attributes = a
    if i % 16 == 0 { span.status = .error(description: "") }
    return span
}

let batchSize = 512
let serverBatch = (0..<batchSize).map(serverSpan)
let mixedBatch = (0..<batchSize).map { $0 % 2 == 0 ? serverSpan($0) : clientSpan($0) }
let resource = Resource.defaultResource(serviceName: "tracegw", hostName: "gw-01")

let otlp = OTLPProtobufEncoder(resource: resource)
let jaeger = JaegerThriftEncoder(resource: resource)
let zipkin = ZipkinJSONEncoder(resource: resource)
let otlpJSON = OTLPJSONEncoder(resource: resource)
var buffer: [UInt8] = []
let textBuffer = RawOutputBuffer()

/// One named workload: `run` encodes one batch and returns the byte count.
struct Scenario {
    var name: String
    var allocationBudgetPerSpan: Double
    var run: @MainActor () -> Int
}

@MainActor
func scenarios(_ label: String, _ batch: [FinishedSpan]) -> [Scenario] {
    [
        Scenario(name: "OTLP protobuf, \(label)", allocationBudgetPerSpan: 0.01) {
            buffer.removeAll(keepingCapacity: true)
            otlp.encode(batch, into: &buffer)
            return buffer.count
        },
        Scenario(name: "Jaeger Thrift, \(label)", allocationBudgetPerSpan: 0.01) {
            buffer.removeAll(keepingCapacity: true)
            jaeger.encode(batch, into: &buffer)
            return buffer.count
        },
        Scenario(name: "Zipkin JSON, \(label)", allocationBudgetPerSpan: 0.01) {
            buffer.removeAll(keepingCapacity: true)
            zipkin.encode(batch, into: &buffer)
            return buffer.count
        },
        Scenario(name: "OTLP/JSON, \(label)", allocationBudgetPerSpan: 0.01) {
            buffer.removeAll(keepingCapacity: true)
            otlpJSON.encode(batch, into: &buffer)
            return buffer.count
        },
        Scenario(name: "console text, \(label)", allocationBudgetPerSpan: 0.01) {
            textBuffer.removeAll()
            ConsoleSpanFormatter.format(batch, into: textBuffer)
            return textBuffer.count
        },
    ]
}

let only = getenv("BENCH_ONLY").map { String(cString: $0) }
let all = (scenarios("server spans", serverBatch) + scenarios("server+client", mixedBatch))
    .filter { only == nil || $0.name.contains(only!) }
let rounds = 7
let batchesPerRound = getenv("BENCH_BATCHES").flatMap { Int(String(cString: $0)) } ?? 400
var failed = false
print("batch of \(batchSize) spans, \(rounds) rounds x \(batchesPerRound) batches")
print("scenario".padding(34) + "ns/span best".padding(14) + "ns/span median".padding(16) + "spans/s (median)".padding(18)
    + "bytes/span".padding(12) + "allocs/span")
for scenario in all {
    var bytes = 0
    for _ in 0..<20 { bytes = scenario.run() }
    var samples: [Double] = []
    samples.reserveCapacity(rounds)
    let allocationsBefore = c_malloc_counter_allocations()
    for _ in 0..<rounds {
        let start = nanoseconds()
        for _ in 0..<batchesPerRound { blackHole(scenario.run()) }
        samples.append(Double(nanoseconds() - start) / Double(batchesPerRound * batchSize))
    }
    let allocations = Double(c_malloc_counter_allocations() - allocationsBefore) / Double(rounds * batchesPerRound * batchSize)
    samples.sort()
    let median = samples[rounds / 2]
    print(
        scenario.name.padding(34) + format(samples[0]).padding(14) + format(median).padding(16)
            + "\(Int(1e9 / median))".padding(18) + format(Double(bytes) / Double(batchSize)).padding(12)
            + format(allocations, digits: 3))
    if allocations > scenario.allocationBudgetPerSpan {
        print("  over allocation budget \(scenario.allocationBudgetPerSpan)/span")
        failed = true
    }
}
exit(failed ? 1 : 0)

func format(_ value: Double, digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return "\((value * scale).rounded() / scale)"
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
