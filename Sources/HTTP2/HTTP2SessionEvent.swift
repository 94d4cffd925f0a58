/// Something the peer did, reported by `HTTP2Session.receive(_:)` in arrival order.
public enum HTTP2SessionEvent: Sendable, Equatable {
    /// A complete header block: request or response head (`isTrailers` false) or a trailer section (true).
    /// A response whose only header block ends the stream is gRPC's Trailers-Only form.
    case headers(streamID: Int32, fields: [HTTP2Field], isTrailers: Bool, endStream: Bool)
    /// DATA payload bytes (copied out of the input).
    case data(streamID: Int32, bytes: [UInt8], endStream: Bool)
    /// The stream closed; `errorCode` 0 is a normal close, otherwise the RST_STREAM/GOAWAY code (RFC 9113 §7).
    case streamClosed(streamID: Int32, errorCode: UInt32)
    /// The peer sent GOAWAY: streams above `lastStreamID` were not processed and may be retried elsewhere.
    case goAway(lastStreamID: Int32, errorCode: UInt32)
}
