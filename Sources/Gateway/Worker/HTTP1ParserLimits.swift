import HTTP1

/// The HTTP/1 parser limits for both directions, derived once from `ProxyLimits`.
struct HTTP1ParserLimits: Sendable {
    /// Limits for client requests.
    let request: HTTP1Limits
    /// Limits for backend responses (no body limit: the backend is trusted with its own sizes).
    let response: HTTP1Limits

    init(_ limits: ProxyLimits) {
        request = HTTP1Limits(
            maxStartLineLength: limits.maxRequestLine,
            maxHeaderBlockSize: limits.maxHeaderBlock,
            maxFieldCount: limits.maxHeaderCount,
            maxTrailerBlockSize: limits.maxHeaderBlock,
            maxTrailerFieldCount: limits.maxHeaderCount,
            maxBodySize: limits.maxBodySize)
        response = HTTP1Limits(
            maxStartLineLength: max(limits.maxRequestLine, 8 * 1024),
            maxHeaderBlockSize: max(limits.maxHeaderBlock, 64 * 1024),
            maxFieldCount: max(limits.maxHeaderCount, 200),
            maxTrailerBlockSize: max(limits.maxHeaderBlock, 64 * 1024),
            maxTrailerFieldCount: max(limits.maxHeaderCount, 200),
            maxBodySize: nil)
    }
}
