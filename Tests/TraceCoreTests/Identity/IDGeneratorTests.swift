import Dispatch
import Synchronization
import XCTest

@testable import TraceCore

final class IDGeneratorTests: XCTestCase {
    func test_idGenerator_sameSeed_sameSequence() {
        var a = IDGenerator(seed: 42)
        var b = IDGenerator(seed: 42)
        for _ in 0..<100 { XCTAssertEqual(a.nextTraceID(), b.nextTraceID()) }
    }

    func test_idGenerator_generatedIDs_areValid() {
        var generator = IDGenerator()
        for _ in 0..<10_000 {
            XCTAssertTrue(generator.nextTraceID().isValid)
            XCTAssertTrue(generator.nextSpanID().isValid)
        }
    }

    func test_idGenerator_oneMillionIDsOnEightThreads_areUnique() {
        let threads = 8
        let perThread = 125_000
        let results = Mutex<[[TraceID]]>(Array(repeating: [], count: threads))
        let spanResults = Mutex<[[SpanID]]>(Array(repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var generator = IDGenerator()
            var traceIDs: [TraceID] = []
            var spanIDs: [SpanID] = []
            traceIDs.reserveCapacity(perThread)
            spanIDs.reserveCapacity(perThread)
            for _ in 0..<perThread {
                traceIDs.append(generator.nextTraceID())
                spanIDs.append(generator.nextSpanID())
            }
            results.withLock { $0[thread] = traceIDs }
            spanResults.withLock { $0[thread] = spanIDs }
        }
        let allTraceIDs = results.withLock { $0.flatMap { $0 } }
        let allSpanIDs = spanResults.withLock { $0.flatMap { $0 } }
        XCTAssertEqual(allTraceIDs.count, threads * perThread)
        XCTAssertEqual(Set(allTraceIDs).count, threads * perThread)
        XCTAssertEqual(Set(allSpanIDs).count, threads * perThread)
    }
}
