import Foundation
import Gateway
import Yams

/// Reads the YAML configuration file into a `ConfigNode` tree, so nothing below the CLI depends on Yams.
public enum ConfigFileLoader {
    /// Loads and parses `path`.
    /// - Throws: `ConfigError.unreadableFile` with the parser's message (including line and column).
    public static func load(path: String) throws -> ConfigNode {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Parses YAML text; `path` only names the source in errors.
    public static func parse(_ text: String, path: String) throws -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: text) else { return .null }
            return try convert(node, path: path)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.unreadableFile(path: path, reason: "\(error)")
        }
    }

    private static func convert(_ node: Node, path: String) throws -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return .null
            }
            return .scalar(scalar.string)
        case .sequence(let seq):
            return .sequence(try seq.map { try convert($0, path: path) })
        case .mapping(let mapping):
            var pairs: [(key: String, value: ConfigNode)] = []
            for (k, v) in mapping {
                guard case .scalar(let keyScalar) = k else {
                    throw ConfigError.unreadableFile(path: path, reason: "mapping keys must be plain strings")
                }
                if pairs.contains(where: { $0.key == keyScalar.string }) {
                    throw ConfigError.unreadableFile(path: path, reason: "duplicate key \"\(keyScalar.string)\"")
                }
                pairs.append((key: keyScalar.string, value: try convert(v, path: path)))
            }
            return .mapping(pairs)
        }
    }
}
