/// Attribute keys from the seed tracing package's "Common Attributes" list (hypersdk `tracing.Attr*`).
///
/// The seed names its Go constants, not their wire keys; these are the natural dotted names for each, matching the
/// OpenTelemetry convention style (`namespace.property`, snake_case). `http.method`, `http.status_code` and `http.path`
/// are the pre-1.20 HTTP keys the seed emitted; the gateway emits the current `SemanticAttributes` keys instead and
/// offers these only for compatibility with dashboards built on the seed.
public enum SeedAttributes {
    /// `AttrJobID`: job identifier.
    @inlinable public static var jobID: AttributeKey { "job.id" }
    /// `AttrJobName`: job name.
    @inlinable public static var jobName: AttributeKey { "job.name" }
    /// `AttrJobStatus`: job status.
    @inlinable public static var jobStatus: AttributeKey { "job.status" }
    /// `AttrVMName`: virtual machine name.
    @inlinable public static var vmName: AttributeKey { "vm.name" }
    /// `AttrVMPath`: virtual machine path.
    @inlinable public static var vmPath: AttributeKey { "vm.path" }
    /// `AttrProvider`: cloud provider name.
    @inlinable public static var provider: AttributeKey { "provider" }
    /// `AttrOperation`: operation name.
    @inlinable public static var operation: AttributeKey { "operation" }
    /// `AttrUserID`: user identifier.
    @inlinable public static var userID: AttributeKey { "user.id" }
    /// `AttrUserName`: user name.
    @inlinable public static var userName: AttributeKey { "user.name" }
    /// `AttrHTTPMethod`: HTTP method (legacy key).
    @inlinable public static var httpMethod: AttributeKey { "http.method" }
    /// `AttrHTTPPath`: HTTP path (legacy key).
    @inlinable public static var httpPath: AttributeKey { "http.path" }
    /// `AttrHTTPStatus`: HTTP status code (legacy key).
    @inlinable public static var httpStatusCode: AttributeKey { "http.status_code" }
    /// `AttrErrorType`: error type (same key as the semantic convention).
    @inlinable public static var errorType: AttributeKey { "error.type" }
    /// `AttrErrorMessage`: error message.
    @inlinable public static var errorMessage: AttributeKey { "error.message" }
}
