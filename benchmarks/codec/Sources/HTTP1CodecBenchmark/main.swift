// HTTP/1 codec micro-benchmark. Prints ns/request (best and median of several rounds) and allocations/request
// (malloc-family calls counted by CMallocCounter, measured after a warm-up). Timings are reported, never asserted;
// allocation counts are deterministic, so a scenario above its allocation budget exits non-zero.
import CMallocCounter
import Glibc
import HTTP1

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func nanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// One named workload: `run` performs `requests` requests' worth of work per call.
struct Scenario {
    var name: String
    var requestsPerCall: Int
    var allocationBudget: Double
    var run: () -> Void
}

/// Parses every request in `bytes` (pipelined), consuming all events; returns the number of requests seen.
@inline(never)
func parseAll(_ parser: inout HTTP1RequestParser, _ bytes: UnsafeRawBufferPointer) -> Int {
    var offset = 0
    var ends = 0
    var bodyBytes = 0
    while true {
        let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
        guard let (used, event) = try? parser.parse(rest) else { fatalError("benchmark input rejected") }
        offset += used
        switch event {
        case .head(let head): blackHole(head.fields.count)
        case .body(let range): bodyBytes &+= range.count
        case .trailers(let fields): blackHole(fields.count)
        case .end: ends += 1
        case .needMore:
            blackHole(bodyBytes)
            return ends
        }
    }
}

let browserGet = Array((
    "GET /assets/app/main.4f3c2a.js?v=20261125 HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: */*\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Referer: https://www.example.com/products/list?page=2\r\n"
        + "Connection: keep-alive\r\n"
        + "Cookie: session=6f1c2d9e8b7a; theme=dark; consent=1\r\n"
        + "Sec-Fetch-Dest: script\r\n"
        + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
        + "\r\n").utf8)

let body = String(repeating: "x", count: 128)
let postWithLength = Array((
    "POST /api/v1/orders HTTP/1.1\r\n"
        + "Host: api.example.com\r\n"
        + "User-Agent: curl/8.5.0\r\n"
        + "Accept: application/json\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: \(body.utf8.count)\r\n"
        + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
        + "\r\n" + body).utf8)

let postChunked = Array((
    "POST /upload HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "40\r\n\(String(repeating: "a", count: 64))\r\n40;ext=1\r\n\(String(repeating: "b", count: 64))\r\n"
        + "0\r\nX-Checksum: 1234\r\n\r\n").utf8)

let pipelined = Array(repeating: browserGet, count: 16).flatMap { $0 }

var getParser = HTTP1RequestParser()
var postParser = HTTP1RequestParser()
var chunkedParser = HTTP1RequestParser()
var pipelineParser = HTTP1RequestParser()
var forwardParser = HTTP1RequestParser()
var output: [UInt8] = []
output.reserveCapacity(4096)

let scenarios: [Scenario] = [
    Scenario(name: "parse GET, 11 fields, \(browserGet.count) B", requestsPerCall: 1, allocationBudget: 0) {
        browserGet.withUnsafeBytes { precondition(parseAll(&getParser, $0) == 1) }
    },
    Scenario(name: "parse POST Content-Length, \(postWithLength.count) B", requestsPerCall: 1, allocationBudget: 0) {
        postWithLength.withUnsafeBytes { precondition(parseAll(&postParser, $0) == 1) }
    },
    Scenario(name: "parse POST chunked + trailer, \(postChunked.count) B", requestsPerCall: 1, allocationBudget: 0) {
        postChunked.withUnsafeBytes { precondition(parseAll(&chunkedParser, $0) == 1) }
    },
    Scenario(name: "parse 16 pipelined GETs (per request)", requestsPerCall: 16, allocationBudget: 0) {
        pipelined.withUnsafeBytes { precondition(parseAll(&pipelineParser, $0) == 16) }
    },
    Scenario(name: "parse GET + serialize forwarded head", requestsPerCall: 1, allocationBudget: 0) {
        browserGet.withUnsafeBytes { input in
            guard let (_, event) = try? forwardParser.parse(input), case .head(let head) = event else { fatalError() }
            output.removeAll(keepingCapacity: true)
            let hopByHop = HopByHopFields(head.fields)
            HTTP1Serializer.writeRequestLine(method: head.method, target: head.rawTarget, into: &output)
            HTTP1Serializer.writeFields(head.fields, removing: hopByHop, into: &output)
            HTTP1Serializer.writeHeadEnd(into: &output)
            blackHole(output.count)
            let rest = UnsafeRawBufferPointer(rebasing: input[input.count...])
            guard let (_, end) = try? forwardParser.parse(rest), case .end = end else { fatalError() }
        }
    },
]

let rounds = 7
let callsPerRound = getenv("BENCH_CALLS").flatMap { Int(String(cString: $0)) } ?? 200_000
var failed = false
print("scenario".padding(50) + "ns/req best   ns/req median   allocs/req")
for scenario in scenarios {
    for _ in 0..<10_000 { scenario.run() }
    let allocationsBefore = c_malloc_counter_allocations()
    var samples: [Double] = []
    for _ in 0..<rounds {
        let start = nanoseconds()
        for _ in 0..<callsPerRound { scenario.run() }
        let elapsed = nanoseconds() - start
        samples.append(Double(elapsed) / Double(callsPerRound * scenario.requestsPerCall))
    }
    // The samples array itself allocates up to a few times per scenario; that is outside the loops measured.
    let allocations = Double(c_malloc_counter_allocations() - allocationsBefore)
        / Double(rounds * callsPerRound * scenario.requestsPerCall)
    samples.sort()
    let line = scenario.name.padding(50)
        + format(samples[0]).padding(14) + format(samples[rounds / 2]).padding(16) + format(allocations, digits: 3)
    print(line)
    if allocations > scenario.allocationBudget + 0.001 {
        print("  over allocation budget \(scenario.allocationBudget)")
        failed = true
    }
}
exit(failed ? 1 : 0)

func format(_ value: Double, digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
