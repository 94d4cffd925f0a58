extension SettingLayers {
    /// Nested sections the file may contain, parsed by their own readers (routes, limits, ...).
    public static let fileSections: Set<String> = ["routes", "limits"]

    /// Applies the top-level scalar keys of a configuration file.
    ///
    /// Scalars and lists of scalars are accepted (`exporter: [otlp, jaeger]` equals `exporter: otlp,jaeger`).
    /// - Throws: `ConfigError.unknownKey` for a key that is neither a setting nor a known section;
    ///   `ConfigError.invalidValue` for a mapping where a scalar belongs.
    public mutating func applyFile(_ root: ConfigNode, path: String) throws {
        guard case .mapping(let pairs) = root else {
            if root == .null { return }
            throw ConfigError.unreadableFile(path: path, reason: "the top level must be a mapping of keys to values")
        }
        let known = GatewaySetting.all.map(\.key) + Self.fileSections.sorted()
        for (key, value) in pairs {
            if key == "limits" {
                try applyFileSection(value, prefix: "limits", path: path)
                continue
            }
            if Self.fileSections.contains(key) { continue }
            guard GatewaySetting.named(key) != nil else {
                throw ConfigError.unknownKey(key: key, path: path, known: known)
            }
            let origin = ConfigOrigin.file(path: path, key: key)
            guard let text = value.flattenedScalar else {
                throw ConfigError.invalidValue(
                    key: key, value: "(a nested mapping)", origin: origin,
                    allowed: GatewaySetting.named(key)?.allowed ?? "a scalar")
            }
            set(key, text, from: origin)
        }
    }

    /// Applies a nested section whose keys are catalogued as `prefix.key`.
    private mutating func applyFileSection(_ node: ConfigNode, prefix: String, path: String) throws {
        guard case .mapping(let pairs) = node else {
            if node == .null { return }
            throw ConfigError.invalidValue(key: prefix, value: "(not a mapping)", origin: .file(path: path, key: prefix),
                                           allowed: "a mapping of \(prefix) keys")
        }
        let known = GatewaySetting.all.map(\.key).filter { $0.hasPrefix(prefix + ".") }
        for (subkey, value) in pairs {
            let key = prefix + "." + subkey
            guard GatewaySetting.named(key) != nil else {
                throw ConfigError.unknownKey(key: key, path: path, known: known)
            }
            let origin = ConfigOrigin.file(path: path, key: key)
            guard let text = value.flattenedScalar else {
                throw ConfigError.invalidValue(key: key, value: "(a nested mapping)", origin: origin,
                                               allowed: GatewaySetting.named(key)?.allowed ?? "a scalar")
            }
            set(key, text, from: origin)
        }
    }
}
