import XCTest
@testable import HTTP1

/// One event as tests compare it: heads flattened to strings, body bytes concatenated across events.
enum Recorded: Equatable, CustomStringConvertible {
    case head(RecordedHead)
    case interim(RecordedHead)
    case upgrade(RecordedHead)
    case body(String)
    case trailers([String])
    case end
    case error(HTTP1ParseError)

    var description: String {
        switch self {
        case .head(let h): return "head(\(h))"
        case .interim(let h): return "interim(\(h))"
        case .upgrade(let h): return "upgrade(\(h))"
        case .body(let b): return "body(\(b.debugDescription))"
        case .trailers(let t): return "trailers(\(t))"
        case .end: return "end"
        case .error(let e): return "error(\(e.kind), \(e.status))"
        }
    }

    /// The head, if this is one.
    var head: RecordedHead? {
        switch self {
        case .head(let h), .interim(let h), .upgrade(let h): return h
        default: return nil
        }
    }
}

/// A request or response head flattened for comparison.
struct RecordedHead: Equatable {
    var startLine: String
    var fields: [String]
    var authority: String?
    var keepAlive: Bool
    var framing: HTTP1BodyFraming
    var expectsContinue = false
    var upgrade: String?
    var target: HTTP1RequestTarget?
}

func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

func fieldStrings(_ fields: HTTP1Fields) -> [String] {
    fields.map { "\(text($0.name)): \(text($0.value))" }
}

func record(_ head: HTTP1RequestHead) -> RecordedHead {
    let version = head.version == .http1_1 ? "HTTP/1.1" : "HTTP/1.0"
    return RecordedHead(
        startLine: "\(head.method.name) \(text(head.rawTarget)) \(version)",
        fields: fieldStrings(head.fields),
        authority: head.authority.map(text),
        keepAlive: head.keepAlive,
        framing: head.framing,
        expectsContinue: head.expectsContinue,
        upgrade: head.upgradeProtocols.map(text),
        target: head.target
    )
}

func record(_ head: HTTP1ResponseHead) -> RecordedHead {
    let version = head.version == .http1_1 ? "HTTP/1.1" : "HTTP/1.0"
    return RecordedHead(
        startLine: "\(version) \(head.status) \(text(head.reason))",
        fields: fieldStrings(head.fields), authority: nil, keepAlive: head.keepAlive, framing: head.framing
    )
}

/// Appends, merging consecutive body events so split points do not matter.
func append(_ event: Recorded, to transcript: inout [Recorded]) {
    if case .body(let more) = event, case .body(let so)? = transcript.last {
        transcript[transcript.count - 1] = .body(so + more)
    } else {
        transcript.append(event)
    }
}

/// Feeds `raw` in pieces of `step` bytes (0 = all at once) and records every event until the input is used up.
func transcribeRequest(_ raw: [UInt8], step: Int, limits: HTTP1Limits) -> [Recorded] {
    var parser = HTTP1RequestParser(limits: limits)
    var transcript: [Recorded] = []
    var position = 0
    let piece = step == 0 ? max(raw.count, 1) : step
    while position < raw.count {
        let end = min(position + piece, raw.count)
        let chunk = Array(raw[position..<end])
        position = end
        var offset = 0
        while true {
            let result: (consumed: Int, event: HTTP1RequestEvent)
            do {
                result = try chunk.withUnsafeBytes { all in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: all[offset...]))
                }
            } catch let error as HTTP1ParseError {
                transcript.append(.error(error))
                return transcript
            } catch {
                fatalError("untyped error \(error)")
            }
            let base = offset
            offset += result.consumed
            switch result.event {
            case .head(let head): append(.head(record(head)), to: &transcript)
            case .body(let range):
                let bytes = chunk[(base + range.lowerBound)..<(base + range.upperBound)]
                append(.body(String(decoding: bytes, as: UTF8.self)), to: &transcript)
            case .trailers(let fields): append(.trailers(fieldStrings(fields)), to: &transcript)
            case .end: append(.end, to: &transcript)
            case .needMore:
                precondition(offset == chunk.count, "needMore must consume all input")
            }
            if case .needMore = result.event { break }
        }
    }
    return transcript
}

/// Feeds `raw` to a response parser answering `method`, optionally reporting EOF at the end.
func transcribeResponse(_ raw: [UInt8], step: Int, method: HTTP1Method, eof: Bool, limits: HTTP1Limits) -> [Recorded] {
    var parser = HTTP1ResponseParser(limits: limits)
    var transcript: [Recorded] = []
    var position = 0
    let piece = step == 0 ? max(raw.count, 1) : step
    var upgraded = false
    while position < raw.count && !upgraded {
        let end = min(position + piece, raw.count)
        let chunk = Array(raw[position..<end])
        position = end
        var offset = 0
        while true {
            let result: (consumed: Int, event: HTTP1ResponseEvent)
            do {
                result = try chunk.withUnsafeBytes { all in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: all[offset...]), requestMethod: method)
                }
            } catch let error as HTTP1ParseError {
                transcript.append(.error(error))
                return transcript
            } catch {
                fatalError("untyped error \(error)")
            }
            let base = offset
            offset += result.consumed
            switch result.event {
            case .head(let head): append(.head(record(head)), to: &transcript)
            case .interim(let head): append(.interim(record(head)), to: &transcript)
            case .upgrade(let head):
                append(.upgrade(record(head)), to: &transcript)
                // The rest belongs to the tunnel; record it as tunnel bytes for comparison.
                let rest = Array(chunk[offset...]) + Array(raw[position...])
                if !rest.isEmpty { append(.body(String(decoding: rest, as: UTF8.self)), to: &transcript) }
                upgraded = true
            case .body(let range):
                let bytes = chunk[(base + range.lowerBound)..<(base + range.upperBound)]
                append(.body(String(decoding: bytes, as: UTF8.self)), to: &transcript)
            case .trailers(let fields): append(.trailers(fieldStrings(fields)), to: &transcript)
            case .end: append(.end, to: &transcript)
            case .needMore:
                precondition(offset == chunk.count, "needMore must consume all input")
            }
            if upgraded { break }
            if case .needMore = result.event { break }
        }
    }
    if eof && !upgraded {
        do {
            if let event = try parser.eof(), case .end = event { transcript.append(.end) }
        } catch {
            transcript.append(.error(error))
        }
    }
    return transcript
}

extension XCTestCase {
    /// Parses `raw` one-shot and byte by byte, asserts both give the same transcript, and returns it.
    @discardableResult
    func parseRequest(
        _ raw: String, limits: HTTP1Limits = HTTP1Limits(), file: StaticString = #filePath, line: UInt = #line
    ) -> [Recorded] {
        parseRequest(Array(raw.utf8), limits: limits, file: file, line: line)
    }

    /// Byte-array variant of `parseRequest(_:limits:)`.
    @discardableResult
    func parseRequest(
        _ raw: [UInt8], limits: HTTP1Limits = HTTP1Limits(), file: StaticString = #filePath, line: UInt = #line
    ) -> [Recorded] {
        let oneShot = transcribeRequest(raw, step: 0, limits: limits)
        let byteByByte = transcribeRequest(raw, step: 1, limits: limits)
        XCTAssertEqual(oneShot, byteByByte, "one-shot and byte-by-byte parses differ", file: file, line: line)
        return oneShot
    }

    /// Asserts that `raw` is rejected with `kind` and its request status, one-shot and byte by byte.
    func assertRequestRejected(
        _ raw: String, _ kind: HTTP1ParseError.Kind, limits: HTTP1Limits = HTTP1Limits(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        assertRequestRejected(Array(raw.utf8), kind, limits: limits, file: file, line: line)
    }

    /// Byte-array variant of `assertRequestRejected(_:_:limits:)`.
    func assertRequestRejected(
        _ raw: [UInt8], _ kind: HTTP1ParseError.Kind, limits: HTTP1Limits = HTTP1Limits(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let transcript = parseRequest(raw, limits: limits, file: file, line: line)
        guard case .error(let error)? = transcript.last else {
            return XCTFail("expected \(kind), got \(transcript)", file: file, line: line)
        }
        XCTAssertEqual(error.kind, kind, file: file, line: line)
        XCTAssertEqual(error.status, kind.requestStatus, file: file, line: line)
    }

    /// Parses a response one-shot and byte by byte and returns the common transcript.
    @discardableResult
    func parseResponse(
        _ raw: String, method: HTTP1Method = .get, eof: Bool = false, limits: HTTP1Limits = HTTP1Limits(),
        file: StaticString = #filePath, line: UInt = #line
    ) -> [Recorded] {
        let bytes = Array(raw.utf8)
        let oneShot = transcribeResponse(bytes, step: 0, method: method, eof: eof, limits: limits)
        let byteByByte = transcribeResponse(bytes, step: 1, method: method, eof: eof, limits: limits)
        XCTAssertEqual(oneShot, byteByByte, "one-shot and byte-by-byte parses differ", file: file, line: line)
        return oneShot
    }
}
