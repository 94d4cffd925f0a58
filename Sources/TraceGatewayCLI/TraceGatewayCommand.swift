import ArgumentParser

/// The `tracegw` command line.
public struct TraceGatewayCommand: ParsableCommand {
    public init() {}
    public func run() throws {}
}
