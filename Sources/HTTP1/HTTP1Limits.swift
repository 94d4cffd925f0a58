/// Size and count limits applied while parsing one HTTP/1 message.
///
/// Every limit lives here so the gateway configuration can map each one to a flag; the defaults follow common
/// server practice (nginx, nghttpx) and RFC 9112 §3 / §5, which leave the numbers to the implementation.
public struct HTTP1Limits: Sendable, Hashable {
    /// Longest request line or status line in bytes, CRLF included; default 8 KiB. Exceeding it answers 414.
    public var maxStartLineLength: Int
    /// Largest field section (all field lines with their CRLFs) in bytes; default 64 KiB. Exceeding it answers 431.
    public var maxHeaderBlockSize: Int
    /// Most field lines in the header section; default 100. Exceeding it answers 431.
    public var maxFieldCount: Int
    /// Largest trailer section in bytes; default 64 KiB. Exceeding it answers 431.
    public var maxTrailerBlockSize: Int
    /// Most field lines in the trailer section; default 100. Exceeding it answers 431.
    public var maxTrailerFieldCount: Int
    /// Largest body in bytes, or nil for no limit (default). Checked on Content-Length up front and while
    /// decoding chunked bodies; exceeding it answers 413.
    public var maxBodySize: Int?
    /// Longest chunk-size line (size, extensions and CRLF) in bytes; default 4 KiB. Exceeding it answers 400.
    public var maxChunkLineLength: Int

    /// Limits with the documented defaults, optionally overriding the body size limit.
    public init(
        maxStartLineLength: Int = 8 * 1024,
        maxHeaderBlockSize: Int = 64 * 1024,
        maxFieldCount: Int = 100,
        maxTrailerBlockSize: Int = 64 * 1024,
        maxTrailerFieldCount: Int = 100,
        maxBodySize: Int? = nil,
        maxChunkLineLength: Int = 4 * 1024
    ) {
        self.maxStartLineLength = maxStartLineLength
        self.maxHeaderBlockSize = maxHeaderBlockSize
        self.maxFieldCount = maxFieldCount
        self.maxTrailerBlockSize = maxTrailerBlockSize
        self.maxTrailerFieldCount = maxTrailerFieldCount
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
    }
}
