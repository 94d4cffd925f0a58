import Dispatch
import NetIO

// Usage: hello <port> <dispatchSource|blockingThread> [loops]
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? UInt16(arguments[1]) ?? 8080 : 8080
let driver = arguments.count > 2 ? EventLoopDriver(rawValue: arguments[2]) ?? .dispatchSource : .dispatchSource
let loops = arguments.count > 3 ? Int(arguments[3]) ?? EventLoopGroup.affinityCPUCount : EventLoopGroup.affinityCPUCount
try HelloServer.run(port: port, driver: driver, loops: loops)
dispatchMain()
