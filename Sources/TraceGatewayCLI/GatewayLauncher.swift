import ArgumentParser
import Foundation
import Gateway

/// Starts the gateway from resolved settings and blocks until it is told to stop.
enum GatewayLauncher {
    static func run(_ settings: ResolvedSettings) throws {
        guard settings.gateway.upstream != nil else {
            FileHandle.standardError.write(Data("tracegw: \(ConfigError.missingValue(key: "upstream", hint: "give --upstream URL, TRACEGW_UPSTREAM or `upstream:` in the config file"))\n".utf8))
            throw ExitCode(2)
        }
    }
}
