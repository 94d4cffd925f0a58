/// What an `AttributeEntry` holds.
@usableFromInline
enum AttributeEntryKind: UInt8, CaseIterable {
    case string, bool, int, double, stringArray, boolArray, intArray, doubleArray
}

/// One stored attribute in 16 bytes: plain data (no references), so storing, copying and freeing entries costs no
/// ARC, and four entries share a cache line.
///
/// Key and value bytes that are not literals live in the storage's arena, addressed by offset (the arena moves when
/// the storage grows). The first word packs the key: bits 0–47 hold the address of a literal key's bytes (they live
/// as long as the process) or the arena offset of a run-time key's, bits 48–59 the key's length (keys are at most
/// `maximumKeyLength` bytes), bit 60 says which of the two the address is, bits 61–63 the value's kind. The second
/// word holds a scalar's bits (the int, the double's bit pattern, the bool as 0/1), or for strings and arrays the
/// arena offset of their bytes (low 32 bits) and their length in bytes or elements (high 32 bits).
@usableFromInline
struct AttributeEntry {
    /// Key address or offset, key length, literal flag and kind (see the type's description).
    @usableFromInline var keyWord: UInt64
    /// A scalar's bits, or a string's or array's arena offset and length.
    @usableFromInline var valueWord: UInt64

    /// The longest key an entry holds, in UTF-8 bytes (12 bits); a longer key's attribute is dropped and counted.
    @usableFromInline static var maximumKeyLength: Int { 0xFFF }
    /// The key word's address or offset bits (0–47).
    @usableFromInline static var addressMask: UInt64 { 0xFFFF_FFFF_FFFF }
    /// Where the key word's length bits (48–59) start.
    @usableFromInline static var keyLengthShift: UInt64 { 48 }
    /// The key word's bit saying the address is a literal key's (60).
    @usableFromInline static var literalFlag: UInt64 { 1 &<< 60 }
    /// Where the key word's kind bits (61–63) start; the eight kinds fill them exactly.
    @usableFromInline static var kindShift: UInt64 { 61 }

    /// An entry for a literal key whose bytes start at `literalKey` (see `canHoldLiteral`), value not set yet.
    @inlinable @inline(__always)
    init(literalKey: UnsafeRawPointer, keyLength: Int) {
        keyWord = UInt64(UInt(bitPattern: literalKey)) | UInt64(truncatingIfNeeded: keyLength) &<< Self.keyLengthShift
            | Self.literalFlag
        valueWord = 0
    }

    /// An entry for a key whose bytes are in the arena at `keyOffset`, value not set yet.
    @inlinable @inline(__always)
    init(keyOffset: Int, keyLength: Int) {
        keyWord = UInt64(truncatingIfNeeded: keyOffset) & Self.addressMask
            | UInt64(truncatingIfNeeded: keyLength) &<< Self.keyLengthShift
        valueWord = 0
    }

    /// Whether a literal key's bytes can be referenced by address (48 bits, at most `maximumKeyLength` bytes);
    /// otherwise they are copied into the arena like a run-time key's.
    @inlinable @inline(__always)
    static func canHoldLiteral(_ key: UnsafeRawBufferPointer) -> Bool {
        key.count <= maximumKeyLength && UInt64(UInt(bitPattern: key.baseAddress)) & ~addressMask == 0
    }

    /// The key's bytes when the key is a literal; nil when they are in the arena.
    @inlinable
    var literalKey: UnsafeRawPointer? {
        guard keyWord & Self.literalFlag != 0 else { return nil }
        return UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: keyWord & Self.addressMask))
    }

    /// Arena offset of the key's bytes when `literalKey` is nil.
    @inlinable
    var keyOffset: Int { Int(truncatingIfNeeded: keyWord & Self.addressMask) }

    /// The key's length in UTF-8 bytes.
    @inlinable
    var keyLength: Int { Int(truncatingIfNeeded: keyWord &>> Self.keyLengthShift) & Self.maximumKeyLength }

    /// Moves a run-time key's bytes to `offset` (a compacted copy of the arena).
    @inlinable
    mutating func setKeyOffset(_ offset: Int) {
        keyWord = keyWord & ~Self.addressMask | UInt64(truncatingIfNeeded: offset) & Self.addressMask
    }

    /// The value's type.
    @inlinable
    var kind: AttributeEntryKind {
        AttributeEntryKind(rawValue: UInt8(truncatingIfNeeded: keyWord &>> Self.kindShift)).unsafelyUnwrapped
    }

    /// The bits of a bool, int or double value.
    @inlinable
    var scalarBits: UInt64 { valueWord }

    /// Arena offset of a string's or array's bytes.
    @inlinable
    var valueOffset: Int { Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: valueWord)) }

    /// A string's length in bytes; an array's element count.
    @inlinable
    var valueLength: Int { Int(truncatingIfNeeded: valueWord &>> 32) }

    /// Makes the value a scalar of `kind` with `bits`.
    @inlinable @inline(__always)
    mutating func setScalar(kind: AttributeEntryKind, bits: UInt64) {
        setKind(kind)
        valueWord = bits
    }

    /// Makes the value a string or array of `kind` whose bytes are at arena `offset`, `length` bytes or elements.
    @inlinable @inline(__always)
    mutating func setArenaValue(kind: AttributeEntryKind, offset: Int, length: Int) {
        setKind(kind)
        valueWord = UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: offset))
            | UInt64(truncatingIfNeeded: length) &<< 32
    }

    /// Moves a string's or array's bytes to `offset`, keeping its length.
    @inlinable
    mutating func setValueOffset(_ offset: Int) {
        valueWord = valueWord & ~0xFFFF_FFFF | UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: offset))
    }

    /// Sets the value's kind, keeping the key.
    @inlinable @inline(__always)
    mutating func setKind(_ kind: AttributeEntryKind) {
        keyWord = keyWord & ~(7 &<< Self.kindShift) | UInt64(kind.rawValue) &<< Self.kindShift
    }
}

/// Sizes of an `AttributeStorage`, kept in its header.
@usableFromInline
struct AttributeStorageHeader {
    /// Entries in use.
    @usableFromInline var count: Int
    /// Entry slots allocated.
    @usableFromInline var entryCapacity: Int
    /// Arena bytes in use.
    @usableFromInline var arenaUsed: Int
    /// Arena bytes allocated.
    @usableFromInline var arenaCapacity: Int
    /// Bit `keyLength & 63` is set for every key in use: a key whose bit is clear is not in the list, so `set` with
    /// a new key (the common case) skips the duplicate scan.
    @usableFromInline var keyLengthMask: UInt64

    @inlinable
    init(entryCapacity: Int, arenaCapacity: Int) {
        count = 0
        self.entryCapacity = entryCapacity
        arenaUsed = 0
        self.arenaCapacity = arenaCapacity
        keyLengthMask = 0
    }

    /// The `keyLengthMask` bit of a key `length` bytes long.
    @inlinable
    static func keyLengthBit(_ length: Int) -> UInt64 { 1 &<< UInt64(truncatingIfNeeded: length & 63) }
}

/// Raw pointers into an `AttributeStorage`, cached by the list that owns it so the hot path reaches the entries
/// without touching the object's reference count (valid while that list holds the storage).
@usableFromInline
struct AttributeStoragePointers {
    /// The header (sizes).
    @usableFromInline let header: UnsafeMutablePointer<AttributeStorageHeader>
    /// The first entry.
    @usableFromInline let entries: UnsafeMutablePointer<AttributeEntry>

    @inlinable
    init(header: UnsafeMutablePointer<AttributeStorageHeader>, entries: UnsafeMutablePointer<AttributeEntry>) {
        self.header = header
        self.entries = entries
    }

    /// The first arena byte.
    @inlinable
    var arena: UnsafeMutableRawPointer { UnsafeMutableRawPointer(entries + header.pointee.entryCapacity) }
}

/// The single allocation behind a `SpanAttributeList`: a header, `entryCapacity` entries, then the byte arena.
///
/// Shared copy-on-write between list values; mutated only through a uniquely referenced list.
@usableFromInline
final class AttributeStorage: ManagedBuffer<AttributeStorageHeader, AttributeEntry> {
    /// Allocates storage with room for `entryCapacity` entries and at least `arenaCapacity` arena bytes.
    @usableFromInline
    static func make(entryCapacity: Int, arenaCapacity: Int) -> AttributeStorage {
        let stride = MemoryLayout<AttributeEntry>.stride
        let arenaSlots = (arenaCapacity + stride - 1) / stride
        let buffer = AttributeStorage.create(minimumCapacity: entryCapacity + arenaSlots) { _ in
            AttributeStorageHeader(entryCapacity: entryCapacity, arenaCapacity: arenaSlots * stride)
        }
        return unsafeDowncast(buffer, to: AttributeStorage.self)
    }

    /// Pointers to the header and entries.
    @usableFromInline
    var pointers: AttributeStoragePointers {
        withUnsafeMutablePointers { AttributeStoragePointers(header: $0, entries: $1) }
    }

    /// The first entry.
    @inlinable
    var entries: UnsafeMutablePointer<AttributeEntry> {
        withUnsafeMutablePointerToElements { $0 }
    }

    /// The first arena byte.
    @inlinable
    var arena: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(entries + header.entryCapacity)
    }

    /// The key bytes of `entry`.
    @inlinable
    func keyBytes(_ entry: AttributeEntry) -> UnsafeRawBufferPointer {
        Self.keyBytes(entry, arena: arena)
    }

    /// The key bytes of `entry` in a storage whose arena starts at `arena`.
    @inlinable @inline(__always)
    static func keyBytes(_ entry: AttributeEntry, arena: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer {
        if let literal = entry.literalKey { return UnsafeRawBufferPointer(start: literal, count: entry.keyLength) }
        return UnsafeRawBufferPointer(start: arena + entry.keyOffset, count: entry.keyLength)
    }

    /// The index of the entry whose key bytes equal `key`, if any.
    @inlinable
    func index(ofKey key: UnsafeRawBufferPointer) -> Int? {
        let entries = self.entries
        let count = header.count
        guard header.keyLengthMask & AttributeStorageHeader.keyLengthBit(key.count) != 0 else { return nil }
        let length = key.count
        var index = 0
        while index < count {
            let entry = entries[index]
            if entry.keyLength == length {
                if let literal = entry.literalKey, literal == key.baseAddress { return index }
                if Self.bytesEqual(keyBytes(entry), key) { return index }
            }
            index &+= 1
        }
        return nil
    }

    /// Byte-wise equality of two buffers (eight bytes per comparison, then the tail).
    @inlinable
    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        guard count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        var index = 0
        while index &+ 8 <= count {
            if pa.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != pb.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index &+= 8
        }
        while index < count {
            if pa.load(fromByteOffset: index, as: UInt8.self) != pb.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index &+= 1
        }
        return true
    }

    /// Arena bytes used by the value of `entry`.
    @usableFromInline
    func valueByteCount(_ entry: AttributeEntry) -> Int {
        let count = entry.valueLength
        switch entry.kind {
        case .bool, .int, .double: return 0
        case .string, .boolArray: return count
        case .intArray, .doubleArray: return count &* 8
        case .stringArray:
            var offset = entry.valueOffset
            let start = offset
            for _ in 0..<count {
                let length = Int(arena.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                offset &+= 4 &+ length
            }
            return offset &- start
        }
    }

    /// A copy holding only the live entries and bytes, with room for `extraEntries` more entries and `extraArena`
    /// more bytes (capacities at least double, so a growing list reallocates O(log n) times).
    @usableFromInline
    func compactedCopy(extraEntries: Int, extraArena: Int) -> AttributeStorage {
        let count = header.count
        var liveBytes = 0
        for index in 0..<count {
            let entry = entries[index]
            if entry.literalKey == nil { liveBytes &+= entry.keyLength }
            liveBytes &+= valueByteCount(entry)
        }
        let neededEntries = count &+ extraEntries
        let neededArena = liveBytes &+ extraArena
        var entryCapacity = Swift.max(header.entryCapacity, 4)
        while entryCapacity < neededEntries { entryCapacity &*= 2 }
        var arenaCapacity = Swift.max(header.arenaCapacity, 64)
        while arenaCapacity < neededArena { arenaCapacity &*= 2 }
        let copy = AttributeStorage.make(entryCapacity: entryCapacity, arenaCapacity: arenaCapacity)
        let target = copy.entries
        let targetArena = copy.arena
        var used = 0
        for index in 0..<count {
            var entry = entries[index]
            if entry.literalKey == nil {
                (targetArena + used).copyMemory(from: arena + entry.keyOffset, byteCount: entry.keyLength)
                entry.setKeyOffset(used)
                used &+= entry.keyLength
            }
            switch entry.kind {
            case .bool, .int, .double: break
            default:
                let bytes = valueByteCount(entry)
                (targetArena + used).copyMemory(from: arena + entry.valueOffset, byteCount: bytes)
                entry.setValueOffset(used)
                used &+= bytes
            }
            (target + index).initialize(to: entry)
        }
        copy.header.count = count
        copy.header.arenaUsed = used
        copy.header.keyLengthMask = header.keyLengthMask
        return copy
    }

    /// The value of `entry` as an `AttributeValue`.
    @usableFromInline
    func value(_ entry: AttributeEntry) -> AttributeValue {
        let count = entry.valueLength
        let base = arena + entry.valueOffset  // meaningful for strings and arrays only
        switch entry.kind {
        case .bool: return .bool(entry.scalarBits != 0)
        case .int: return .int(Int64(bitPattern: entry.scalarBits))
        case .double: return .double(Double(bitPattern: entry.scalarBits))
        case .string:
            return .string(String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self))
        case .boolArray:
            return .boolArray((0..<count).map { base.load(fromByteOffset: $0, as: UInt8.self) != 0 })
        case .intArray:
            return .intArray((0..<count).map { base.loadUnaligned(fromByteOffset: $0 &* 8, as: Int64.self) })
        case .doubleArray:
            return .doubleArray((0..<count).map { base.loadUnaligned(fromByteOffset: $0 &* 8, as: Double.self) })
        case .stringArray:
            var strings: [String] = []
            strings.reserveCapacity(count)
            var offset = 0
            for _ in 0..<count {
                let length = Int(base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                strings.append(String(decoding: UnsafeRawBufferPointer(start: base + offset + 4, count: length), as: UTF8.self))
                offset &+= 4 &+ length
            }
            return .stringArray(strings)
        }
    }

    /// The value of `entry` read in place.
    @inlinable
    func view(_ entry: AttributeEntry) -> AttributeValueView {
        Self.view(entry, arena: arena, array: value)
    }

    /// The value of `entry`, in a storage whose arena starts at `arena`, read in place; `array` builds array values.
    @inlinable @inline(__always)
    static func view(
        _ entry: AttributeEntry, arena: UnsafeMutableRawPointer, array: (AttributeEntry) -> AttributeValue
    ) -> AttributeValueView {
        switch entry.kind {
        case .string:
            return .string(UnsafeRawBufferPointer(start: arena + entry.valueOffset, count: entry.valueLength))
        case .bool: return .bool(entry.scalarBits != 0)
        case .int: return .int(Int64(bitPattern: entry.scalarBits))
        case .double: return .double(Double(bitPattern: entry.scalarBits))
        default: return .array(array(entry))
        }
    }
}
