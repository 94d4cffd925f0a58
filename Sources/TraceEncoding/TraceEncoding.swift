// Placeholder so the target builds; replaced as the module is filled in.
/// Namespace for the TraceEncoding module.
public enum TraceEncodingModule {}
