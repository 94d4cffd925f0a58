/// What the framing-relevant fields of one header section said, gathered while its lines are read.
///
/// Collected in one pass so the head is never scanned twice; the request and response parsers turn these facts into
/// `HTTP1BodyFraming` with their own rules (RFC 9112 §6.3).
struct FramingFacts {
    /// The agreed Content-Length, if any line carried one (identical duplicates collapse, RFC 9112 §6.3 item 5).
    var contentLength: Int?
    /// Whether any Transfer-Encoding line was present.
    var hasTransferEncoding = false
    /// How many times `chunked` appeared across all Transfer-Encoding lines.
    var chunkedCount = 0
    /// Whether the last coding listed was `chunked`.
    var lastCodingIsChunked = false
    /// Whether any coding other than `chunked` was listed.
    var hasOtherCoding = false
    /// Number of Host lines and the index of the first one.
    var hostCount = 0
    var hostIndex = -1
    /// Connection options seen (RFC 9110 §7.6.1).
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    /// Index of the first Upgrade line.
    var upgradeIndex = -1
    /// Whether Expect listed 100-continue.
    var expectContinue = false
}
