import CNghttp2
import IOCore

/// An HTTP/2 connection's framing state (RFC 9113) on nghttp2, fed and drained through memory: the only type in
/// tracegw that touches nghttp2.
///
/// The owner (a connection handler on an event loop) passes received bytes to `receive(_:)`, which returns the
/// peer's events, and sends what `produceOutput(into:)` writes. No socket, thread or timer lives here, so the same
/// type serves the exporter's client, a future HTTP/2 backend, and in-memory tests (client wired to server).
/// nghttp2's callback table is built once per process; callbacks find the session through an `Unmanaged`
/// user_data pointer that lives as long as the session. Loop-confined: not `Sendable`.
public final class HTTP2Session {
    /// Which side of the connection this session plays.
    public enum Role: Sendable {
        /// Sends the connection preface and requests.
        case client
        /// Receives requests and answers them (tests, and a future HTTP/2 listener).
        case server
    }

    /// The role.
    public let role: Role
    private var session: OpaquePointer?
    /// Events collected by the callbacks during one `receive` call.
    fileprivate var events: [HTTP2SessionEvent] = []
    /// Header fields of header blocks still being received, by stream.
    fileprivate var pendingFields: [Int32: [HTTP2Field]] = [:]
    /// Bodies (and trailers) being sent, by stream; the data provider reads from them.
    fileprivate var outgoing: [Int32: OutgoingBody] = [:]

    /// A body being sent and the trailers that follow it.
    final class OutgoingBody {
        let bytes: [UInt8]
        var offset = 0
        let trailers: [HTTP2Field]
        var streamID: Int32 = 0

        init(bytes: [UInt8], trailers: [HTTP2Field]) {
            self.bytes = bytes
            self.trailers = trailers
        }
    }

    /// Creates a session and queues our SETTINGS (and, for a client, the connection preface).
    /// - Parameters:
    ///   - maxConcurrentStreams: SETTINGS_MAX_CONCURRENT_STREAMS we allow the peer to open (default 100).
    ///   - initialWindowSize: SETTINGS_INITIAL_WINDOW_SIZE for our receive windows (default 1 MiB).
    public init(role: Role, maxConcurrentStreams: UInt32 = 100, initialWindowSize: UInt32 = 1 << 20) throws(HTTP2Error) {
        self.role = role
        var session: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let rc: Int32
        switch role {
        case .client: rc = nghttp2_session_client_new(&session, HTTP2CallbackTable.shared.pointer, userData)
        case .server: rc = nghttp2_session_server_new(&session, HTTP2CallbackTable.shared.pointer, userData)
        }
        guard rc == 0, let session else { throw HTTP2Error("session_new", code: rc) }
        self.session = session
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: initialWindowSize),
        ]
        let settingsRC = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        guard settingsRC == 0 else { throw HTTP2Error("submit_settings", code: settingsRC) }
    }

    deinit {
        if let session { nghttp2_session_del(session) }
    }

    // MARK: Input

    /// Processes bytes from the peer and returns what they carried, in order, preceded by events that arose while
    /// sending (a stream closed by our own RST_STREAM or END_STREAM is reported when nghttp2 sends that frame).
    ///
    /// Throws on a connection error (bad preface, protocol violation, flood); the owner should then send what
    /// `produceOutput` yields (a GOAWAY) and close.
    public func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) -> [HTTP2SessionEvent] {
        guard let session else { throw HTTP2Error("receive", code: Int32(NGHTTP2_ERR_INVALID_STATE.rawValue)) }
        guard bytes.count > 0 else { return takeEvents() }
        let n = nghttp2_session_mem_recv(session, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count)
        if n < 0 { throw HTTP2Error("mem_recv", code: Int32(n)) }
        return takeEvents()
    }

    /// Returns and forgets the events collected so far (also those raised while producing output).
    public func takeEvents() -> [HTTP2SessionEvent] {
        let out = events
        events.removeAll(keepingCapacity: true)
        return out
    }

    // MARK: Output

    /// Appends every frame nghttp2 has ready (settings, headers, data, window updates, acks) to `buffer`.
    public func produceOutput(into buffer: inout ByteBuffer) throws(HTTP2Error) {
        guard let session else { return }
        while true {
            var data: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &data)
            if n < 0 { throw HTTP2Error("mem_send", code: Int32(n)) }
            if n == 0 { return }
            buffer.writeBytes(UnsafeRawBufferPointer(start: data, count: n))
        }
    }

    /// Whether nghttp2 has frames to send.
    public var wantsWrite: Bool { session.map { nghttp2_session_want_write($0) != 0 } ?? false }
    /// Whether the session still expects frames from the peer (false after GOAWAY exchange with no open streams).
    public var wantsRead: Bool { session.map { nghttp2_session_want_read($0) != 0 } ?? false }

    // MARK: Requests and responses

    /// Opens a stream with a request: `headers` must start with the pseudo-headers (:method, :scheme, :authority,
    /// :path); `body` is sent as DATA, then `trailers` if any, ending the stream. Returns the new stream id.
    public func submitRequest(headers: [HTTP2Field], body: [UInt8], trailers: [HTTP2Field] = []) throws(HTTP2Error) -> Int32 {
        guard let session else { throw HTTP2Error("submit_request", code: Int32(NGHTTP2_ERR_INVALID_STATE.rawValue)) }
        let box = OutgoingBody(bytes: body, trailers: trailers)
        let id = withNameValues(headers) { nva, count in
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: Unmanaged.passUnretained(box).toOpaque()),
                read_callback: httpTwoReadBody)
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        guard id > 0 else { throw HTTP2Error("submit_request", code: id) }
        box.streamID = id
        outgoing[id] = box
        return id
    }

    /// Answers stream `streamID` (server role): response `headers` (starting with :status), then `body`, then
    /// `trailers`. With an empty body and `trailersOnly`, sends one HEADERS frame that ends the stream (gRPC's
    /// Trailers-Only response), made of `headers` followed by `trailers`.
    public func submitResponse(streamID: Int32, headers: [HTTP2Field], body: [UInt8], trailers: [HTTP2Field] = [],
                               trailersOnly: Bool = false) throws(HTTP2Error) {
        guard let session else { throw HTTP2Error("submit_response", code: Int32(NGHTTP2_ERR_INVALID_STATE.rawValue)) }
        if trailersOnly {
            let rc = withNameValues(headers + trailers) { nva, count in
                nghttp2_submit_response(session, streamID, nva, count, nil)
            }
            guard rc == 0 else { throw HTTP2Error("submit_response", code: rc) }
            return
        }
        let box = OutgoingBody(bytes: body, trailers: trailers)
        box.streamID = streamID
        outgoing[streamID] = box
        let rc = withNameValues(headers) { nva, count in
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: Unmanaged.passUnretained(box).toOpaque()),
                read_callback: httpTwoReadBody)
            return nghttp2_submit_response(session, streamID, nva, count, &provider)
        }
        guard rc == 0 else {
            outgoing[streamID] = nil
            throw HTTP2Error("submit_response", code: rc)
        }
    }

    /// Cancels a stream with RST_STREAM (e.g. CANCEL = 8 when a request timed out).
    public func resetStream(_ streamID: Int32, errorCode: UInt32 = 8) {
        guard let session else { return }
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)
    }

    /// Queues GOAWAY with `errorCode` (0 = NO_ERROR) and stops accepting new streams.
    public func terminate(errorCode: UInt32 = 0) {
        guard let session else { return }
        _ = nghttp2_session_terminate_session(session, errorCode)
    }

    /// Calls `body` with `fields` as an `nghttp2_nv` array; the name and value pointers stay valid during the call.
    fileprivate func withNameValues<R>(_ fields: [HTTP2Field], _ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        // One contiguous byte block for every name and value; nv entries point into it.
        var storage: [UInt8] = []
        storage.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        var ranges: [(Int, Int, Int, Int)] = []
        ranges.reserveCapacity(fields.count)
        for f in fields {
            let n = storage.count
            storage.append(contentsOf: f.name.utf8)
            let v = storage.count
            storage.append(contentsOf: f.value.utf8)
            ranges.append((n, v - n, v, storage.count - v))
        }
        return storage.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress ?? UnsafeMutablePointer<UInt8>(bitPattern: 1)!
            var nva = ranges.map { r in
                nghttp2_nv(name: base + r.0, value: base + r.2, namelen: r.1, valuelen: r.3,
                           flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return nva.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }
}

@available(*, unavailable)
extension HTTP2Session: Sendable {}

// MARK: - nghttp2 callbacks

/// The process-wide nghttp2 callback table, built once.
/// `@unchecked Sendable`: the table is written only in `init` and nghttp2 only reads it afterwards (it copies the
/// table into each session at `session_*_new`).
private final class HTTP2CallbackTable: @unchecked Sendable {
    static let shared = HTTP2CallbackTable()
    let pointer: OpaquePointer

    private init() {
        var callbacks: OpaquePointer?
        precondition(nghttp2_session_callbacks_new(&callbacks) == 0, "nghttp2_session_callbacks_new")
        let table = callbacks!
        nghttp2_session_callbacks_set_on_begin_headers_callback(table) { _, frame, userData in
            guard let frame, let userData else { return 0 }
            let session = Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
            session.pendingFields[frame.pointee.hd.stream_id] = []
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(table) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let userData, let name, let value else { return 0 }
            let session = Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
            let field = HTTP2Field(
                name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
            session.pendingFields[frame.pointee.hd.stream_id, default: []].append(field)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(table) { _, frame, userData in
            guard let frame, let userData else { return 0 }
            let session = Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
            let hd = frame.pointee.hd
            let endStream = hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch UInt32(hd.type) {
            case NGHTTP2_HEADERS.rawValue:
                let category = frame.pointee.headers.cat
                let fields = session.pendingFields.removeValue(forKey: hd.stream_id) ?? []
                session.events.append(.headers(streamID: hd.stream_id, fields: fields,
                                               isTrailers: category == NGHTTP2_HCAT_HEADERS, endStream: endStream))
            case NGHTTP2_DATA.rawValue:
                // Chunks arrive through the data callback; an END_STREAM flag on DATA is reported here.
                if endStream { session.events.append(.data(streamID: hd.stream_id, bytes: [], endStream: true)) }
            case NGHTTP2_GOAWAY.rawValue:
                session.events.append(.goAway(lastStreamID: frame.pointee.goaway.last_stream_id,
                                              errorCode: frame.pointee.goaway.error_code))
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(table) { _, _, streamID, data, length, userData in
            guard let userData, let data, length > 0 else { return 0 }
            let session = Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
            session.events.append(.data(streamID: streamID,
                                        bytes: Array(UnsafeBufferPointer(start: data, count: length)), endStream: false))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(table) { _, streamID, errorCode, userData in
            guard let userData else { return 0 }
            let session = Unmanaged<HTTP2Session>.fromOpaque(userData).takeUnretainedValue()
            session.outgoing[streamID] = nil
            session.pendingFields[streamID] = nil
            session.events.append(.streamClosed(streamID: streamID, errorCode: errorCode))
            return 0
        }
        pointer = table
    }
}

/// nghttp2's data source read callback: copies the next slice of an `OutgoingBody`, then submits its trailers.
private func httpTwoReadBody(
    _ session: OpaquePointer?, _ streamID: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: Int,
    _ flags: UnsafeMutablePointer<UInt32>?, _ source: UnsafeMutablePointer<nghttp2_data_source>?,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let source, let pointer = source.pointee.ptr, let buffer, let flags else {
        return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
    }
    let body = Unmanaged<HTTP2Session.OutgoingBody>.fromOpaque(pointer).takeUnretainedValue()
    let n = min(length, body.bytes.count - body.offset)
    if n > 0 {
        body.bytes.withUnsafeBytes { src in
            UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress! + body.offset, byteCount: n)
        }
        body.offset += n
    }
    if body.offset == body.bytes.count {
        flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        if !body.trailers.isEmpty {
            flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            let owner = Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
            owner.submitTrailersFromProvider(streamID: streamID, trailers: body.trailers)
        }
    }
    return n
}

extension HTTP2Session {
    /// Submits trailers from inside the data provider (allowed by nghttp2 there, see `nghttp2_submit_trailer`).
    fileprivate func submitTrailersFromProvider(streamID: Int32, trailers: [HTTP2Field]) {
        guard let session else { return }
        // nghttp2 copies the name/value pairs during submit (no NO_COPY flags), so temporary storage is fine.
        _ = withNameValues(trailers) { nva, count in nghttp2_submit_trailer(session, streamID, nva, count) }
    }
}
