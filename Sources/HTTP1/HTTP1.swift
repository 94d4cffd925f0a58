// Placeholder so the target builds; replaced as the module is filled in.
/// Namespace for the HTTP1 module.
public enum HTTP1Module {}
