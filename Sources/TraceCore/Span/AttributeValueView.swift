/// A stored attribute value read in place, without building `String`s: what encoders use on the export path.
///
/// The buffers are valid only inside the closure that received the view (`SpanAttributeList.forEachView`).
public enum AttributeValueView {
    /// A UTF-8 string's bytes.
    case string(UnsafeRawBufferPointer)
    /// A boolean.
    case bool(Bool)
    /// A signed 64-bit integer.
    case int(Int64)
    /// A double-precision float.
    case double(Double)
    /// An array value, materialised (arrays are rare: captured headers and library callers).
    case array(AttributeValue)
}
