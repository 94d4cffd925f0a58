/// The mutable per-thread state of a `SpanFactory`: its id generator and the wall/monotonic clock calibration.
///
/// The factory keeps it behind a pointer it owns rather than in stored `var`s, so the per-span updates cost no
/// dynamic exclusivity check (`swift_beginAccess` on a class property, measured at a few percent of a proxied request).
struct SpanFactoryState: ~Copyable {
    /// This thread's id generator.
    var idGenerator: IDGenerator
    /// Wall time minus monotonic time, in nanoseconds, as last calibrated.
    var wallOffset: Int64 = 0
    /// Monotonic reading at the last calibration.
    var calibratedAt: UInt64 = 0

    init(idGenerator: consuming IDGenerator) {
        self.idGenerator = idGenerator
    }
}
