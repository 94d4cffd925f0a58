// Placeholder so the target builds; replaced as the module is filled in.
/// Namespace for the TraceGatewayCLI module.
public enum TraceGatewayCLIModule {}
