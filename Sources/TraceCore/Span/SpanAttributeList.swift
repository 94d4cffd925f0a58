/// An ordered, bounded list of attributes with unique keys (OpenTelemetry SDK §Attribute Limits).
///
/// Used for span, event, link and resource attributes. Everything lives in one allocation (`AttributeStorage`): a
/// table of plain-data entries followed by a byte arena. Literal keys (`SemanticAttributes`, any `AttributeKey`
/// literal) are stored as a pointer to their bytes; string values and run-time keys are copied into the arena. So
/// setting an attribute costs no reference counting and freeing a list is one `free`, whatever it holds — the
/// request path never touches ARC per attribute. Encoders read the bytes in place (`forEachView`); the collection
/// interface (`SpanAttribute` elements) builds `String`s and is meant for tests and tools.
///
/// A value type: copies share the storage until one of them is mutated (copy-on-write), so sending one to another
/// thread is safe (`@unchecked` only because the storage is a `ManagedBuffer`).
///
/// Keys are at most 4,095 UTF-8 bytes (`AttributeEntry.maximumKeyLength`, what a 16-byte entry holds): an attribute
/// with a longer key is dropped and counted in `droppedCount`, like one beyond the count limit.
public struct SpanAttributeList: @unchecked Sendable, Hashable {
    /// The entries and arena; nil until the first attribute is set. Assign through `adopt(_:)`.
    @usableFromInline var storage: AttributeStorage?
    /// Pointers into `storage`, kept beside it so setters reach the entries without retaining the object.
    @usableFromInline var pointers: AttributeStoragePointers?
    /// The limits applied on every `set`.
    public private(set) var limits: AttributeLimits
    /// Backing store for `droppedCount`.
    @usableFromInline var droppedCountStorage: Int
    /// Entry slots allocated by the first `set`.
    @usableFromInline let reservedCapacity: Int

    /// How many attributes were dropped because the list was full.
    @inlinable public var droppedCount: Int { droppedCountStorage }

    /// Slots reserved by default; sized for an HTTP server span (about 15 semantic-convention attributes).
    public static let defaultReservedCapacity = 16
    /// Arena bytes reserved per entry slot at first allocation (paths, addresses and user agents are short).
    @usableFromInline static var arenaBytesPerEntry: Int { 8 }

    /// Creates an empty list.
    ///
    /// - Parameters:
    ///   - limits: count and value-length limits.
    ///   - reservedCapacity: entry slots allocated now (capped at `limits.countLimit`); 0 allocates nothing until the
    ///     first set.
    public init(limits: AttributeLimits = .default, reservedCapacity: Int = SpanAttributeList.defaultReservedCapacity) {
        self.limits = limits
        self.droppedCountStorage = 0
        let capacity = Swift.max(0, Swift.min(reservedCapacity, limits.countLimit))
        self.reservedCapacity = capacity
        storage = nil
        pointers = nil
        if capacity > 0 {
            adopt(AttributeStorage.make(entryCapacity: capacity, arenaCapacity: Self.initialArenaBytes(entries: capacity)))
        }
    }

    /// Makes `newStorage` this list's storage.
    @usableFromInline
    mutating func adopt(_ newStorage: AttributeStorage?) {
        storage = newStorage
        pointers = newStorage?.pointers
    }

    /// Arena bytes allocated with `entries` slots: room for short strings (a server span's path, addresses and user
    /// agent fit), small enough that the whole storage stays in malloc's per-thread cache sizes.
    @inlinable
    static func initialArenaBytes(entries: Int) -> Int { Swift.max(128, entries &* arenaBytesPerEntry) }

    /// Creates a list from attributes, applying the limits in order (later duplicates replace earlier values).
    public init(_ attributes: some Sequence<SpanAttribute>, limits: AttributeLimits = .default) {
        self.init(limits: limits, reservedCapacity: attributes.underestimatedCount)
        for attribute in attributes { set(attribute.key, attribute.value) }
    }

    /// The number of attributes.
    @inlinable
    public var count: Int { pointers?.header.pointee.count ?? 0 }

    /// Whether the list holds no attribute.
    @inlinable
    public var isEmpty: Bool { count == 0 }

    // MARK: Setting

    /// Sets `key` to `value`: replaces the value of an existing key in place, else appends; when the list is full a
    /// new key is dropped and counted. String values longer than `limits.valueLengthLimit` are truncated.
    @inlinable
    public mutating func set(_ key: AttributeKey, _ value: consuming AttributeValue) {
        store(key, value, keyIsNew: false)
    }

    /// Sets a run-time `key` (its bytes are copied); see `set(_:_:)` with an `AttributeKey`.
    @inlinable
    public mutating func set(_ key: String, _ value: consuming AttributeValue) {
        store(AttributeKey(key), value, keyIsNew: false)
    }

    /// Sets `key` to the string whose UTF-8 bytes are `utf8` (copied once, no `String` built).
    @inlinable
    public mutating func set(_ key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        storeString(key, utf8, keyIsNew: false)
    }

    /// Appends an attribute whose key the caller knows is not in the list yet, skipping the duplicate-key scan.
    ///
    /// For the request path, where each semantic-convention key is set once. Limits apply as in `set`. A duplicate
    /// key is a programming error caught by an assertion in debug builds; in release it would be exported twice.
    @inlinable @inline(__always)
    public mutating func append(uniqueKey key: AttributeKey, _ value: consuming AttributeValue) {
        append(uniqueKey: key, value, storageIsUnique: false)
    }

    /// `append(uniqueKey:_:)` for an owner that knows nothing else references the storage (a live span's record),
    /// skipping the reference-count check on the fast path.
    @inlinable @inline(__always)
    mutating func append(uniqueKey key: AttributeKey, _ value: consuming AttributeValue, storageIsUnique: Bool) {
        if let literal = key.literalBytes {
            switch value {
            case .int(let int):
                return append(uniqueKey: key, int: int, storageIsUnique: storageIsUnique)
            case .string(let string):
                let done = string.utf8.withContiguousStorageIfAvailable {
                    appendInPlace(
                        literalKey: literal, kind: .string, payload: 0, bytes: UnsafeRawBufferPointer($0),
                        storageIsUnique: storageIsUnique)
                }
                if done == true { return }
            case .bool(let bool):
                if appendInPlace(
                    literalKey: literal, kind: .bool, payload: bool ? 1 : 0, bytes: nil, storageIsUnique: storageIsUnique)
                { return }
            case .double(let double):
                if appendInPlace(
                    literalKey: literal, kind: .double, payload: double.bitPattern, bytes: nil,
                    storageIsUnique: storageIsUnique)
                { return }
            default:
                break
            }
        }
        appendSlowly(uniqueKey: key, value)
    }

    /// Appends an integer under a key known not to be in the list yet (see `append(uniqueKey:_:)`).
    @inlinable @inline(__always)
    mutating func append(uniqueKey key: AttributeKey, int: Int64, storageIsUnique: Bool) {
        if let literal = key.literalBytes,
           appendInPlace(
               literalKey: literal, kind: .int, payload: UInt64(bitPattern: int), bytes: nil,
               storageIsUnique: storageIsUnique)
        {
            return
        }
        appendSlowly(uniqueKey: key, .int(int))
    }

    /// Whether a literal `key` is already in the list (the duplicate scan of `set`, without touching the storage's
    /// reference count).
    @inlinable @inline(__always)
    func containsKey(literal key: UnsafeRawBufferPointer) -> Bool {
        guard let storage else { return false }
        return storage.index(ofKey: key) != nil
    }

    /// The general path of `append(uniqueKey:_:)`: growth, copy-on-write, truncation, arrays, limits.
    @usableFromInline @inline(never)
    mutating func appendSlowly(uniqueKey key: AttributeKey, _ value: AttributeValue) {
        store(key, value, keyIsNew: true)
    }

    /// Appends a run-time key known not to be in the list yet (see `append(uniqueKey:_:)`).
    @inlinable
    public mutating func append(uniqueKey key: String, _ value: consuming AttributeValue) {
        store(AttributeKey(key), value, keyIsNew: true)
    }

    /// Appends a string attribute from UTF-8 bytes under a key known not to be in the list yet.
    @inlinable
    public mutating func append(uniqueKey key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        append(uniqueKey: key, utf8: utf8, storageIsUnique: false)
    }

    /// `append(uniqueKey:utf8:)` for an owner that knows nothing else references the storage.
    @inlinable @inline(__always)
    mutating func append(uniqueKey key: AttributeKey, utf8: UnsafeRawBufferPointer, storageIsUnique: Bool) {
        if let literal = key.literalBytes,
           appendInPlace(literalKey: literal, kind: .string, payload: 0, bytes: utf8, storageIsUnique: storageIsUnique)
        {
            return
        }
        appendSlowly(uniqueKey: key, utf8: utf8)
    }

    /// The general path of `append(uniqueKey:utf8:)`.
    @usableFromInline @inline(never)
    mutating func appendSlowly(uniqueKey key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        storeString(key, utf8, keyIsNew: true)
    }

    /// Appends a string attribute whose UTF-8 bytes are `head` followed by `tail` (a URL's fixed prefix and a
    /// request's target), copied once into the arena with no joined temporary, under a key known not to be in the
    /// list yet. The result is exactly that of `append(uniqueKey:utf8:)` with the joined bytes.
    @inlinable @inline(__always)
    mutating func append(
        uniqueKey key: AttributeKey, utf8 head: UnsafeRawBufferPointer, followedBy tail: UnsafeRawBufferPointer,
        storageIsUnique: Bool
    ) {
        if let literal = key.literalBytes,
           appendInPlace(
               literalKey: literal, kind: .string, payload: 0, bytes: head, tail: tail, storageIsUnique: storageIsUnique)
        {
            return
        }
        appendSlowly(uniqueKey: key, utf8: head, followedBy: tail)
    }

    /// The general path of `append(uniqueKey:utf8:followedBy:)`: joins the two parts, then takes the general path
    /// of a single string (growth, copy-on-write, truncation, the count limit).
    @usableFromInline @inline(never)
    mutating func appendSlowly(uniqueKey key: AttributeKey, utf8 head: UnsafeRawBufferPointer, followedBy tail: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: head.count + tail.count, alignment: 1) { joined in
            if let base = joined.baseAddress {
                if let source = head.baseAddress { base.copyMemory(from: source, byteCount: head.count) }
                if let source = tail.baseAddress { (base + head.count).copyMemory(from: source, byteCount: tail.count) }
            }
            storeString(key, UnsafeRawBufferPointer(joined), keyIsNew: true)
        }
    }

    /// The common case of the request path in one short inlined sequence: a literal key, a scalar or a string within
    /// the length limit, room left in a storage this list alone holds. False (nothing written) sends the caller down
    /// the general path, which handles growth, copy-on-write, truncation and the count limit.
    @inlinable @inline(__always)
    mutating func appendInPlace(
        literalKey: UnsafeRawBufferPointer, kind: AttributeEntryKind, payload: UInt64, bytes: UnsafeRawBufferPointer?,
        tail: UnsafeRawBufferPointer? = nil, storageIsUnique: Bool
    ) -> Bool {
        guard let pointers else { return false }
        let header = pointers.header
        let index = header.pointee.count
        let headLength = bytes?.count ?? 0
        let length = headLength &+ (tail?.count ?? 0)
        let offset = header.pointee.arenaUsed
        guard index < header.pointee.entryCapacity, index < limits.countLimit, length <= limits.valueLengthLimit,
              offset &+ length <= header.pointee.arenaCapacity, AttributeEntry.canHoldLiteral(literalKey),
              storageIsUnique || isKnownUniquelyReferenced(&storage)
        else { return false }
        #if DEBUG
            assert(isKnownUniquelyReferenced(&storage), "storageIsUnique passed for a shared storage")
            assert(storage!.index(ofKey: literalKey) == nil, "append(uniqueKey:) called with a key already in the list")
        #endif
        var entry = AttributeEntry(literalKey: literalKey.baseAddress.unsafelyUnwrapped, keyLength: literalKey.count)
        if let bytes {
            if headLength > 0 { Self.copyBytes(to: pointers.arena + offset, from: bytes.baseAddress!, count: headLength) }
            if let tail, tail.count > 0 {
                Self.copyBytes(to: pointers.arena + (offset &+ headLength), from: tail.baseAddress!, count: tail.count)
            }
            header.pointee.arenaUsed = offset &+ length
            entry.setArenaValue(kind: kind, offset: offset, length: length)
        } else {
            entry.setScalar(kind: kind, bits: payload)
        }
        (pointers.entries + index).initialize(to: entry)
        header.pointee.count = index &+ 1
        header.pointee.keyLengthMask |= AttributeStorageHeader.keyLengthBit(literalKey.count)
        return true
    }

    /// Empties the list for reuse under new `limits` (a recycled span record), keeping unshared storage.
    @usableFromInline
    mutating func reset(limits newLimits: AttributeLimits, reservedCapacity: Int) {
        removeAll()
        limits = newLimits
        let wanted = Swift.max(0, Swift.min(reservedCapacity, newLimits.countLimit))
        if wanted > 0, (pointers?.header.pointee.entryCapacity ?? 0) < wanted {
            adopt(AttributeStorage.make(entryCapacity: wanted, arenaCapacity: Self.initialArenaBytes(entries: wanted)))
        }
    }

    /// Removes every attribute and resets the dropped count, keeping the allocated capacity when not shared.
    public mutating func removeAll() {
        droppedCountStorage = 0
        if isKnownUniquelyReferenced(&storage), let pointers {
            pointers.header.pointee.count = 0
            pointers.header.pointee.keyLengthMask = 0
            pointers.header.pointee.arenaUsed = 0
        } else {
            adopt(nil)
        }
    }

    @inlinable @inline(__always)
    mutating func store(_ key: AttributeKey, _ value: consuming AttributeValue, keyIsNew: Bool) {
        switch value {
        case .string(var string):
            string.withUTF8 { storeString(key, UnsafeRawBufferPointer($0), keyIsNew: keyIsNew) }
        case .bool(let bool):
            storeScalar(key, kind: .bool, payload: bool ? 1 : 0, keyIsNew: keyIsNew)
        case .int(let int):
            storeScalar(key, kind: .int, payload: UInt64(bitPattern: int), keyIsNew: keyIsNew)
        case .double(let double):
            storeScalar(key, kind: .double, payload: double.bitPattern, keyIsNew: keyIsNew)
        default:
            storeArray(key, value, keyIsNew: keyIsNew)
        }
    }

    @inlinable @inline(__always)
    mutating func storeScalar(_ key: AttributeKey, kind: AttributeEntryKind, payload: UInt64, keyIsNew: Bool) {
        guard let (pointers, index) = slot(for: key, valueBytes: 0, keyIsNew: keyIsNew) else { return }
        (pointers.entries + index).pointee.setScalar(kind: kind, bits: payload)
    }

    @inlinable @inline(__always)
    mutating func storeString(_ key: AttributeKey, _ bytes: UnsafeRawBufferPointer, keyIsNew: Bool) {
        let length = bytes.count <= limits.valueLengthLimit
            ? bytes.count : Self.truncatedLength(bytes, to: limits.valueLengthLimit)
        guard let (pointers, index) = slot(for: key, valueBytes: length, keyIsNew: keyIsNew) else { return }
        let offset = pointers.header.pointee.arenaUsed
        if length > 0, let source = bytes.baseAddress { Self.copyBytes(to: pointers.arena + offset, from: source, count: length) }
        pointers.header.pointee.arenaUsed = offset &+ length
        (pointers.entries + index).pointee.setArenaValue(kind: .string, offset: offset, length: length)
    }

    /// Stores an array value in the arena (rare: captured headers, library callers).
    @usableFromInline
    mutating func storeArray(_ key: AttributeKey, _ value: AttributeValue, keyIsNew: Bool) {
        let limit = limits.valueLengthLimit
        var strings: [String] = []
        let kind: AttributeEntryKind
        let elementCount: Int
        let byteCount: Int
        switch value {
        case .stringArray(let values):
            strings = values
            kind = .stringArray
            elementCount = values.count
            byteCount = values.reduce(0) { total, string in
                var string = string
                return total + 4 + string.withUTF8 { Self.truncatedLength(UnsafeRawBufferPointer($0), to: limit) }
            }
        case .boolArray(let values): kind = .boolArray; elementCount = values.count; byteCount = values.count
        case .intArray(let values): kind = .intArray; elementCount = values.count; byteCount = values.count * 8
        case .doubleArray(let values): kind = .doubleArray; elementCount = values.count; byteCount = values.count * 8
        default: return
        }
        guard let (pointers, index) = slot(for: key, valueBytes: byteCount, keyIsNew: keyIsNew) else { return }
        let offset = pointers.header.pointee.arenaUsed
        let base = pointers.arena + offset
        switch value {
        case .boolArray(let values):
            for (i, v) in values.enumerated() { base.storeBytes(of: v ? 1 : 0, toByteOffset: i, as: UInt8.self) }
        case .intArray(let values):
            for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self) }
        case .doubleArray(let values):
            for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: i * 8, as: Double.self) }
        default:
            var position = 0
            for var string in strings {
                string.withUTF8 { utf8 in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    let length = Self.truncatedLength(bytes, to: limit)
                    base.storeBytes(of: UInt32(truncatingIfNeeded: length), toByteOffset: position, as: UInt32.self)
                    if length > 0 { (base + position + 4).copyMemory(from: bytes.baseAddress!, byteCount: length) }
                    position += 4 + length
                }
            }
        }
        pointers.header.pointee.arenaUsed = offset &+ byteCount
        (pointers.entries + index).pointee.setArenaValue(kind: kind, offset: offset, length: elementCount)
    }

    /// The entry to write `key`'s value into, with room for `valueBytes` more arena bytes: the existing entry of
    /// `key` (unless `keyIsNew`), else a new entry holding the key; nil when the list is full (dropped and counted).
    @inlinable @inline(__always)
    mutating func slot(for key: AttributeKey, valueBytes: Int, keyIsNew: Bool) -> (AttributeStoragePointers, Int)? {
        if let literal = key.literalBytes {
            return slot(literalKey: literal, runtimeKey: nil, valueBytes: valueBytes, keyIsNew: keyIsNew)
        }
        return key.withUTF8 { slot(literalKey: nil, runtimeKey: $0, valueBytes: valueBytes, keyIsNew: keyIsNew) }
    }

    @inlinable @inline(__always)
    mutating func slot(
        literalKey: UnsafeRawBufferPointer?, runtimeKey: UnsafeRawBufferPointer?, valueBytes: Int, keyIsNew: Bool
    ) -> (AttributeStoragePointers, Int)? {
        // A literal key an entry cannot reference by address is copied like a run-time key.
        let literalKey = literalKey.flatMap { AttributeEntry.canHoldLiteral($0) ? $0 : nil }
        let key = literalKey ?? runtimeKey!
        #if DEBUG
            if keyIsNew, let storage {
                assert(storage.index(ofKey: key) == nil, "append(uniqueKey:) called with a key already in the list")
            }
        #endif
        if !keyIsNew, let existing = storage?.index(ofKey: key) {
            return (uniqueStorage(extraEntries: 0, extraArena: valueBytes), existing)
        }
        guard count < limits.countLimit, key.count <= AttributeEntry.maximumKeyLength else {
            droppedCountStorage &+= 1
            return nil
        }
        let keyBytes = literalKey == nil ? key.count : 0
        let pointers = uniqueStorage(extraEntries: 1, extraArena: keyBytes &+ valueBytes)
        let index = pointers.header.pointee.count
        let entry: AttributeEntry
        if let literal = literalKey?.baseAddress {
            entry = AttributeEntry(literalKey: literal, keyLength: key.count)
        } else {
            let offset = pointers.header.pointee.arenaUsed
            if keyBytes > 0 { Self.copyBytes(to: pointers.arena + offset, from: key.baseAddress!, count: keyBytes) }
            entry = AttributeEntry(keyOffset: offset, keyLength: keyBytes)
            pointers.header.pointee.arenaUsed = offset &+ keyBytes
        }
        (pointers.entries + index).initialize(to: entry)
        pointers.header.pointee.count = index &+ 1
        pointers.header.pointee.keyLengthMask |= AttributeStorageHeader.keyLengthBit(key.count)
        return (pointers, index)
    }

    /// The storage, uniquely referenced, with room for `extraEntries` entries and `extraArena` bytes.
    @inlinable @inline(__always)
    mutating func uniqueStorage(extraEntries: Int, extraArena: Int) -> AttributeStoragePointers {
        if let pointers, isKnownUniquelyReferenced(&storage) {
            let header = pointers.header.pointee
            if header.count &+ extraEntries <= header.entryCapacity
                && header.arenaUsed &+ extraArena <= header.arenaCapacity
            {
                return pointers
            }
        }
        return grow(extraEntries: extraEntries, extraArena: extraArena)
    }

    /// Replaces the storage by a compacted copy with room to spare (first set, growth, or a shared storage).
    @usableFromInline @inline(never)
    mutating func grow(extraEntries: Int, extraArena: Int) -> AttributeStoragePointers {
        let grown: AttributeStorage
        if let storage {
            grown = storage.compactedCopy(extraEntries: extraEntries, extraArena: extraArena)
        } else {
            let entries = Swift.max(Swift.max(reservedCapacity, extraEntries), 4)
            grown = AttributeStorage.make(
                entryCapacity: entries, arenaCapacity: Swift.max(Self.initialArenaBytes(entries: entries), extraArena))
        }
        adopt(grown)
        return pointers!
    }

    /// Copies `count` bytes; runs of up to 16 bytes (methods, schemes, addresses, short paths) with two overlapping
    /// word loads and stores instead of a `memmove` call or a byte loop.
    @inlinable @inline(__always)
    static func copyBytes(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        if count >= 8 {
            if count > 16 {
                target.copyMemory(from: source, byteCount: count)
                return
            }
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            var index = 0
            while index < count {
                target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
                index &+= 1
            }
        }
    }

    /// The length of `bytes` cut to at most `limit` bytes without splitting a UTF-8 scalar.
    @inlinable
    static func truncatedLength(_ bytes: UnsafeRawBufferPointer, to limit: Int) -> Int {
        guard bytes.count > limit else { return bytes.count }
        var end = limit
        // Step back over continuation bytes (10xxxxxx) so the cut lands before a scalar's lead byte.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end &-= 1 }
        return end
    }

    // MARK: Reading

    /// The value for `key`, if present.
    public subscript(key: AttributeKey) -> AttributeValue? {
        guard let storage else { return nil }
        return key.withUTF8 { bytes in
            storage.index(ofKey: bytes).map { storage.value(storage.entries[$0]) }
        }
    }

    /// The value for a run-time `key`, if present.
    public subscript(key: String) -> AttributeValue? {
        self[AttributeKey(key)]
    }

    /// Calls `body` with each attribute's key bytes and value, in order, reading them in place (no `String`s built
    /// except for array values). The buffers are valid only during the call.
    @inlinable
    public func forEachView(_ body: (_ key: UnsafeRawBufferPointer, _ value: AttributeValueView) throws -> Void) rethrows {
        guard let storage else { return }
        let count = storage.header.count
        let entries = storage.entries
        try withExtendedLifetime(storage) {
            var index = 0
            while index < count {
                let entry = entries[index]
                try body(storage.keyBytes(entry), storage.view(entry))
                index &+= 1
            }
        }
    }

    /// `forEachView` over the entries `pointers` reach, building array values with `materializing`: lets an owner
    /// that holds a list in a class (a span record) walk it without copying the list (a retain of its storage), with
    /// the caller's body inlined into the loop (`FinishedSpan.forEachAttributeView`).
    @inlinable @inline(__always)
    static func forEachView(
        _ pointers: AttributeStoragePointers?, materializing: (AttributeEntry) -> AttributeValue,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: AttributeValueView) throws -> Void
    ) rethrows {
        guard let pointers else { return }
        let count = pointers.header.pointee.count
        let entries = pointers.entries
        let arena = pointers.arena
        var index = 0
        while index < count {
            let entry = entries[index]
            let key = AttributeStorage.keyBytes(entry, arena: arena)
            let value = AttributeStorage.view(entry, arena: arena, array: materializing)
            try body(key, value)
            index &+= 1
        }
    }

    /// What an encoder needs to bound its output for these attributes without reading each value: the number of
    /// attributes, the bytes of all their keys, and the arena bytes in use, which hold every string value's bytes
    /// (and each string-array element's bytes after a 4-byte length), 8 bytes per integer or double array element,
    /// 1 per bool array element, and any run-time key's bytes. The arena may also hold bytes of replaced values, so
    /// `arenaBytes` only over-counts.
    @inlinable
    public var sizeSummary: (count: Int, keyBytes: Int, arenaBytes: Int) {
        guard let pointers else { return (0, 0, 0) }
        let count = pointers.header.pointee.count
        let entries = pointers.entries
        var keyBytes = 0
        var index = 0
        while index < count {
            keyBytes &+= entries[index].keyLength
            index &+= 1
        }
        return (count, keyBytes, pointers.header.pointee.arenaUsed)
    }

    /// The value of `entry` built as an `AttributeValue` (arrays, for `forEachView`).
    @usableFromInline
    func materializedValue(_ entry: AttributeEntry) -> AttributeValue {
        storage.unsafelyUnwrapped.value(entry)
    }

    // MARK: Equatable, Hashable

    /// Lists are equal when they hold equal attributes in the same order, with the same dropped count and limits.
    public static func == (lhs: SpanAttributeList, rhs: SpanAttributeList) -> Bool {
        guard lhs.count == rhs.count, lhs.droppedCount == rhs.droppedCount, lhs.limits == rhs.limits else {
            return false
        }
        return lhs.elementsEqual(rhs)
    }

    /// Hashes the attributes in order and the dropped count.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(droppedCount)
        for attribute in self { hasher.combine(attribute) }
    }
}

extension SpanAttributeList: RandomAccessCollection {
    /// The first index (0).
    @inlinable public var startIndex: Int { 0 }
    /// One past the last index.
    @inlinable public var endIndex: Int { count }
    /// The attribute at `position`, with its key and value built as `String`s (for tests and tools; encoders use
    /// `forEachView`).
    public subscript(position: Int) -> SpanAttribute {
        precondition(position >= 0 && position < count, "SpanAttributeList index out of range")
        let storage = storage!
        let entry = storage.entries[position]
        return SpanAttribute(
            key: String(decoding: storage.keyBytes(entry), as: UTF8.self), value: storage.value(entry))
    }
}
