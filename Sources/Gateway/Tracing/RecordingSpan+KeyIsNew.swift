import TraceCore

extension RecordingSpan {
    /// Sets an attribute, skipping the duplicate-key scan when the caller knows `key` is not set yet.
    @inline(__always)
    mutating func setAttribute(_ key: AttributeKey, _ value: AttributeValue, keyIsNew: Bool) {
        if keyIsNew { setAttribute(uniqueKey: key, value) } else { setAttribute(key, value) }
    }
}
