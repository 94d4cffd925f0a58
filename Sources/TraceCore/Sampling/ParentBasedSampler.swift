/// Follows the parent's sampled flag, and asks a root sampler when there is no parent
/// (OpenTelemetry SDK §ParentBased).
///
/// The four delegates default as the specification says: remote or local parent sampled → `AlwaysOnSampler`,
/// not sampled → `AlwaysOffSampler`. This general form stores existentials and suits configuration and tests;
/// the request path uses `ConfiguredSampler`, which covers the standard combinations with static dispatch.
public struct ParentBasedSampler: Sampler {
    /// Used for root spans (no or invalid parent).
    public var root: any Sampler
    /// Used when the parent is remote and sampled.
    public var remoteParentSampled: any Sampler
    /// Used when the parent is remote and not sampled.
    public var remoteParentNotSampled: any Sampler
    /// Used when the parent is local and sampled.
    public var localParentSampled: any Sampler
    /// Used when the parent is local and not sampled.
    public var localParentNotSampled: any Sampler

    /// Creates a parent-based sampler with the specification's defaults for any delegate left out.
    public init(
        root: any Sampler,
        remoteParentSampled: any Sampler = AlwaysOnSampler(),
        remoteParentNotSampled: any Sampler = AlwaysOffSampler(),
        localParentSampled: any Sampler = AlwaysOnSampler(),
        localParentNotSampled: any Sampler = AlwaysOffSampler()
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    /// Delegates by the parent's remoteness and sampled flag, or to `root` without a valid parent.
    public func shouldSample(
        parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind, attributes: SpanAttributeList
    ) -> SamplingResult {
        let delegate: any Sampler
        if let parent, parent.isValid {
            switch (parent.isRemote, parent.isSampled) {
            case (true, true): delegate = remoteParentSampled
            case (true, false): delegate = remoteParentNotSampled
            case (false, true): delegate = localParentSampled
            case (false, false): delegate = localParentNotSampled
            }
        } else {
            delegate = root
        }
        return delegate.shouldSample(parent: parent, traceID: traceID, name: name, kind: kind, attributes: attributes)
    }

    /// `ParentBased{root=…,remoteParentSampled=…,…}` as the specification suggests.
    public var description: String {
        "ParentBased{root=\(root.description),remoteParentSampled=\(remoteParentSampled.description),"
            + "remoteParentNotSampled=\(remoteParentNotSampled.description),"
            + "localParentSampled=\(localParentSampled.description),"
            + "localParentNotSampled=\(localParentNotSampled.description)}"
    }
}
