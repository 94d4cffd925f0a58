import Logging

/// Sends every log line to stderr, so stdout carries only spans (stdout exporter).
enum LoggingBootstrap {
    static func bootstrap(level: String) {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
    }
}
