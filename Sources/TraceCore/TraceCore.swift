// Placeholder so the target builds; replaced as the module is filled in.
/// Namespace for the TraceCore module.
public enum TraceCoreModule {}
