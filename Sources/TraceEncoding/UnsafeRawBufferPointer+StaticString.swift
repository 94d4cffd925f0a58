extension UnsafeRawBufferPointer {
    /// The UTF-8 bytes of a literal of two or more characters (they live as long as the process).
    ///
    /// Lets the encoders pass literal keys (`"error"`, `"span.kind"`) to the same byte-buffer writers as attribute
    /// keys read in place with `SpanAttributeList.forEachView`. A one-character `StaticString` may be stored as a
    /// scalar without bytes to point at, which the precondition rejects.
    @inline(__always)
    init(_ literal: StaticString) {
        precondition(literal.hasPointerRepresentation, "StaticString literal without a pointer")
        self.init(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Whether these bytes spell `literal`: how the encoders recognise keys (`error`, `event`, `peer.service`)
    /// without building a `String`.
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        let other = UnsafeRawBufferPointer(literal)
        guard count == other.count else { return false }
        var i = 0
        while i < count {
            if self[i] != other[i] { return false }
            i &+= 1
        }
        return true
    }
}
