/// Generates random trace and span ids with xoshiro256**, seeded from the kernel's CSPRNG (`getrandom(2)`).
///
/// OpenTelemetry SDK §Id Generators asks for random ids; W3C Trace Context Level 2 §3.2.2.5.2 lets us set the
/// `random` flag because all 16 trace-id bytes come from the generator. Each thread owns its own generator (no
/// locking on the hot path); independent 256-bit seeds make cross-thread collisions as unlikely as random ids can be.
/// The type is `~Copyable` on purpose: a copy would replay the same stream and produce duplicate ids.
public struct IDGenerator: ~Copyable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator seeded with 32 bytes from the kernel's CSPRNG.
    ///
    /// Swift's Glibc module does not export `getrandom(2)`; the standard library's `SystemRandomNumberGenerator`
    /// calls exactly that syscall on Linux (falling back to `/dev/urandom`), so it is the seed source.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(state: (system.next(), system.next(), system.next(), system.next()))
    }

    /// A deterministic generator for tests and benchmarks: the state is expanded from `seed` with SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z &>> 31)
        }
        self.init(state: (splitMix(), splitMix(), splitMix(), splitMix()))
    }

    private init(state: (UInt64, UInt64, UInt64, UInt64)) {
        s0 = state.0
        s1 = state.1
        s2 = state.2
        s3 = state.3
        if (s0 | s1 | s2 | s3) == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }  // xoshiro's one forbidden state
    }

    /// The next 64 random bits (xoshiro256**, Blackman & Vigna 2018).
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A random, valid (non-zero) trace id.
    @inlinable
    public mutating func nextTraceID() -> TraceID {
        while true {
            let id = TraceID(high: next(), low: next())
            if id.isValid { return id }
        }
    }

    /// A random, valid (non-zero) span id.
    @inlinable
    public mutating func nextSpanID() -> SpanID {
        while true {
            let id = SpanID(rawValue: next())
            if id.isValid { return id }
        }
    }

    @inlinable @inline(__always)
    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x &<< k) | (x &>> (64 &- k))
    }
}
