extension UInt64 {
    /// `self + other`, or `UInt64.max` on overflow (deadlines from "infinite" timeouts).
    @usableFromInline
    func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
