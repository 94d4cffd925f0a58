import XCTest
@testable import HTTP1

/// Deterministic mutation fuzzing: mutated messages must never trap, and every way of splitting them across reads
/// must give the same transcript as parsing them in one piece.
final class HTTP1ParserSplitFuzzTests: XCTestCase {
    /// A small linear congruential generator so runs are reproducible.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    private let requests = [
        "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n",
        "PUT /c HTTP/1.1\r\nHost: a:80\r\nTransfer-Encoding: chunked\r\n\r\n5;x=\"y\"\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
    ]

    private let responses = [
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\r\n\r\n",
        "HTTP/1.0 200 OK\r\nServer: s\r\n\r\nuntil close",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframes",
    ]

    private let interesting: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x30, 0x3A, 0x3B, 0x3D, 0x7F, 0x80, 0xFF, 0x61]

    private func mutate(_ input: [UInt8], _ rng: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0...rng.next(3) {
            let position = rng.next(bytes.count)
            switch rng.next(3) {
            case 0: bytes[position] = interesting[rng.next(interesting.count)]
            case 1: bytes.insert(interesting[rng.next(interesting.count)], at: position)
            default: if bytes.count > 1 { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    func test_requestParser_mutatedInputsAnySplit_matchOneShot() {
        var rng = Generator(state: 0x5EED)
        for round in 0..<3000 {
            let base = Array(requests[round % requests.count].utf8)
            let input = mutate(base, &rng)
            let oneShot = transcribeRequest(input, step: 0, limits: HTTP1Limits())
            for step in [1, 2, 3, 7] {
                let split = transcribeRequest(input, step: step, limits: HTTP1Limits())
                if split != oneShot {
                    return XCTFail("step \(step) differs for \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    func test_responseParser_mutatedInputsAnySplit_matchOneShot() {
        var rng = Generator(state: 0xBEEF)
        for round in 0..<3000 {
            let base = Array(responses[round % responses.count].utf8)
            let input = mutate(base, &rng)
            let method: HTTP1Method = round % 7 == 0 ? .head : .get
            let oneShot = transcribeResponse(input, step: 0, method: method, eof: true, limits: HTTP1Limits())
            for step in [1, 2, 5] {
                let split = transcribeResponse(input, step: step, method: method, eof: true, limits: HTTP1Limits())
                if split != oneShot {
                    return XCTFail("step \(step) differs for \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            }
        }
    }
}
