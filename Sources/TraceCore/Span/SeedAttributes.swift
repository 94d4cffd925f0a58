/// Attribute keys from the seed tracing package's "Common Attributes" list (hypersdk `tracing.Attr*`).
///
/// The seed names its Go constants, not their wire keys; these are the natural dotted names for each, matching the
/// OpenTelemetry convention style (`namespace.property`, snake_case). `http.method`, `http.status_code` and `http.path`
/// are the pre-1.20 HTTP keys the seed emitted; the gateway emits the current `SemanticAttributes` keys instead and
/// offers these only for compatibility with dashboards built on the seed.
public enum SeedAttributes {
    /// `AttrJobID`: job identifier.
    public static let jobID = "job.id"
    /// `AttrJobName`: job name.
    public static let jobName = "job.name"
    /// `AttrJobStatus`: job status.
    public static let jobStatus = "job.status"
    /// `AttrVMName`: virtual machine name.
    public static let vmName = "vm.name"
    /// `AttrVMPath`: virtual machine path.
    public static let vmPath = "vm.path"
    /// `AttrProvider`: cloud provider name.
    public static let provider = "provider"
    /// `AttrOperation`: operation name.
    public static let operation = "operation"
    /// `AttrUserID`: user identifier.
    public static let userID = "user.id"
    /// `AttrUserName`: user name.
    public static let userName = "user.name"
    /// `AttrHTTPMethod`: HTTP method (legacy key).
    public static let httpMethod = "http.method"
    /// `AttrHTTPPath`: HTTP path (legacy key).
    public static let httpPath = "http.path"
    /// `AttrHTTPStatus`: HTTP status code (legacy key).
    public static let httpStatusCode = "http.status_code"
    /// `AttrErrorType`: error type (same key as the semantic convention).
    public static let errorType = "error.type"
    /// `AttrErrorMessage`: error message.
    public static let errorMessage = "error.message"
}
