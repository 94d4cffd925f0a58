import ArgumentParser
import Dispatch
import Foundation
import Gateway
import Logging

/// Starts the gateway from resolved settings, handles signals, and returns when it has drained.
///
/// SIGTERM/SIGINT: stop accepting, finish requests in flight (up to `limits.drain_timeout`), exit 0.
/// SIGHUP: re-read the configuration file and environment, and install the new routes and upstreams without
/// dropping connections; a bad new configuration is logged and the old one kept.
enum GatewayLauncher {
    static func run(_ settings: ResolvedSettings, command: TraceGatewayCommand) throws {
        let logger = Logger(label: "tracegw")
        let routes: ResolvedRoutes
        do {
            routes = try makeRoutes(settings)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("tracegw: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let pipeline: TracingPipeline
        do {
            pipeline = try TracingPipeline(configuration: settings.gateway, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("tracegw: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let server: ProxyServer
        do {
            server = try ProxyServer(configuration: settings.gateway, routes: routes, logger: logger, pipeline: pipeline,
                                     driver: settings.gateway.loopDriver)
        } catch {
            logger.critical("cannot listen on \(settings.gateway.listen): \(error)")
            throw ExitCode(1)
        }
        logger.notice("listening on \(server.localAddress)")
        // The line tests and scripts wait for; written directly so it appears whatever the log level.
        FileHandle.standardError.write(Data("listening on \(server.localAddress)\n".utf8))

        let stop = DispatchSemaphore(value: 0)
        let signalQueue = DispatchQueue(label: "tracegw.signals")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: signalQueue)
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: signalQueue)
        hangup.setEventHandler {
            do {
                let reloaded = try command.resolveConfiguration(environment: ProcessInfo.processInfo.environment)
                server.reload(routes: try makeRoutes(reloaded))
                logger.notice("configuration reloaded", metadata: ["routes": "\(reloaded.gateway.upstream.map { "\($0)" } ?? "-")"])
            } catch {
                logger.error("reload failed, keeping the running configuration: \(error)")
            }
        }
        hangup.resume()
        sources.append(hangup)

        stop.wait()
        logger.notice("draining: no new connections, finishing requests in flight")
        server.drainAndStop()
        if !pipeline.shutdown(timeout: settings.gateway.exportTimeout) {
            logger.warning("span export did not finish within export_timeout")
        }
        let dropped = pipeline.droppedSpanCount
        if dropped > 0 { logger.warning("\(dropped) spans were dropped because an exporter queue was full") }
        for source in sources { source.cancel() }
        logger.notice("stopped")
    }

    static func makeRoutes(_ settings: ResolvedSettings) throws -> ResolvedRoutes {
        let table = try RouteTable.resolve(section: settings.fileRoot["routes"], path: settings.filePath ?? "-",
                                           configuration: settings.gateway)
        guard table.fallback != nil || !table.routes.isEmpty else {
            throw ConfigError.missingValue(key: "upstream", hint: "give --upstream URL, TRACEGW_UPSTREAM, `upstream:` or `routes:` in the config file")
        }
        return try ResolvedRoutes.resolve(table)
    }
}
