@testable import TraceExport
import XCTest

final class GRPCStatusDetailsTests: XCTestCase {
    /// google.rpc.Status{code: 8, details: [Any{type_url: RetryInfo, value: RetryInfo{retry_delay: 3s 500ms}}]}.
    private func statusWithRetryInfo(seconds: UInt8, nanos: [UInt8]) -> [UInt8] {
        let duration: [UInt8] = [0x08, seconds, 0x10] + nanos
        let retryInfo: [UInt8] = [0x0A, UInt8(duration.count)] + duration
        let typeURL = Array("type.googleapis.com/google.rpc.RetryInfo".utf8)
        let any: [UInt8] = [0x0A, UInt8(typeURL.count)] + typeURL + [0x12, UInt8(retryInfo.count)] + retryInfo
        return [0x08, 0x08, 0x1A, UInt8(any.count)] + any
    }

    private func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let n = (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0) | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
            for j in 0..<(chunk.count + 1) { out.append(alphabet[Int((n >> (18 - 6 * UInt32(j))) & 63)]) }
            i += 3
        }
        return out  // unpadded, as gRPC sends -bin values
    }

    func test_retryDelay_fromRetryInfo_isSecondsPlusNanos() {
        // nanos 500_000_000 as a varint: 0x80 0xCA 0xB5 0xEE 0x01.
        let status = statusWithRetryInfo(seconds: 3, nanos: [0x80, 0xCA, 0xB5, 0xEE, 0x01])
        XCTAssertEqual(GRPCStatusDetails.retryDelayNanoseconds(statusDetailsBase64: base64(status)), 3_500_000_000)
    }

    func test_retryDelay_withoutRetryInfo_isNil() {
        XCTAssertNil(GRPCStatusDetails.retryDelayNanoseconds(statusDetailsBase64: base64([0x08, 0x08])))
        XCTAssertNil(GRPCStatusDetails.retryDelayNanoseconds(statusDetailsBase64: "!!"))
    }

    func test_decodeMessage_percentEscapes_areDecoded() {
        XCTAssertEqual(GRPCStatusDetails.decodeMessage("no%20collector%3A%20%E2%9C%93"), "no collector: ✓")
        XCTAssertEqual(GRPCStatusDetails.decodeMessage("100%"), "100%")
    }

    func test_base64Decode_paddedAndUnpadded_agree() {
        XCTAssertEqual(GRPCStatusDetails.base64Decode("aGk="), Array("hi".utf8))
        XCTAssertEqual(GRPCStatusDetails.base64Decode("aGk"), Array("hi".utf8))
    }
}
