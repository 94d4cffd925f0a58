extension Array where Element == UInt8 {
    /// Appends `value` in decimal, left-padded with zeros to `minimumDigits` (no `String` built). Shared by the JSON
    /// writer and the console formatter.
    mutating func appendDecimal(_ value: UInt64, minimumDigits: Int = 1) {
        var digitCount = 0
        var rest = value
        repeat {
            digitCount += 1
            rest /= 10
        } while rest > 0
        digitCount = Swift.max(digitCount, minimumDigits)
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        var n = value
        var i = start + digitCount - 1
        while n > 0 {
            self[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
            i -= 1
        }
    }

    /// Appends a signed `value` in decimal, as `String(value)` writes it.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }
}
