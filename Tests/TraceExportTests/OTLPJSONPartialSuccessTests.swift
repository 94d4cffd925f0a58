@testable import TraceExport
import XCTest

final class OTLPJSONPartialSuccessTests: XCTestCase {
    func test_parse_rejectedAsStringOrNumber_isRead() {
        let a = OTLPJSONPartialSuccess.parse(Array(#"{"partialSuccess":{"rejectedSpans":"3","errorMessage":"too \"old\""}}"#.utf8))
        XCTAssertEqual(a?.rejectedSpans, 3)
        XCTAssertEqual(a?.errorMessage, #"too "old""#)
        let b = OTLPJSONPartialSuccess.parse(Array(#"{"partialSuccess": {"rejectedSpans": 2}}"#.utf8))
        XCTAssertEqual(b?.rejectedSpans, 2)
    }

    func test_parse_emptyOrAbsent_isNil() {
        XCTAssertNil(OTLPJSONPartialSuccess.parse(Array("{}".utf8)))
        XCTAssertNil(OTLPJSONPartialSuccess.parse(Array(#"{"partialSuccess":{}}"#.utf8)))
    }
}
