/// Typed parsers for configuration values written as text (file scalars, environment variables, flags).
///
/// Each returns nil on bad input; the caller turns that into a `ConfigError` naming the key.
public enum SettingParsers {
    /// Parses a duration such as `30s`, `500ms`, `1.5s`, `2m`, `1h`, `250us`; a bare number is in `bareUnit`.
    ///
    /// - Parameter bareUnitNanoseconds: the unit of a number without suffix (OTEL_* variables use milliseconds).
    public static func duration(_ text: String, bareUnitNanoseconds: Int64? = nil) -> Duration? {
        let t = text.trimmingSpaces()
        guard !t.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var number = Substring(t)
        var scale: Double?
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            let candidate = t.dropLast(suffix.count)
            if let last = candidate.last, last.isNumber || last == "." {
                number = candidate
                scale = factor
                break
            }
        }
        if scale == nil {
            guard let bare = bareUnitNanoseconds else { return nil }
            scale = Double(bare)
        }
        guard let value = Double(number), value.isFinite, value >= 0,
              number.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        let nanos = value * scale!
        guard nanos < 9.0e18 else { return nil }
        return .nanoseconds(Int64(nanos))
    }

    /// Parses a byte size: `512`, `64KiB`, `10MB`, `1GiB`. SI suffixes (KB, MB, GB) are powers of 1000,
    /// IEC suffixes (KiB, MiB, GiB) powers of 1024; `k`/`m`/`g` alone follow nginx and mean 1024-based.
    public static func size(_ text: String) -> Int? {
        let t = text.trimmingSpaces()
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
            ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
            ("k", 1 << 10), ("K", 1 << 10), ("m", 1 << 20), ("M", 1 << 20), ("g", 1 << 30), ("G", 1 << 30),
            ("B", 1),
        ]
        var digits = Substring(t)
        var factor = 1
        for (suffix, f) in units where t.hasSuffix(suffix) {
            digits = t.dropLast(suffix.count)
            factor = f
            break
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let n = Int(digits) else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Parses `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), case-insensitively.
    public static func bool(_ text: String) -> Bool? {
        switch text.trimmingSpaces().lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }

    /// Parses a finite decimal number.
    public static func double(_ text: String) -> Double? {
        guard let d = Double(text.trimmingSpaces()), d.isFinite else { return nil }
        return d
    }

    /// Parses a decimal integer.
    public static func int(_ text: String) -> Int? {
        Int(text.trimmingSpaces())
    }

    /// Splits a comma-separated list, trimming spaces and dropping empty items.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension Character {
    /// True for the ASCII digits 0-9 only.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
