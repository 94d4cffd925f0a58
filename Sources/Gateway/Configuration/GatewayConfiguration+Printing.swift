extension GatewayConfiguration {
    /// The resolved configuration as YAML, each value followed by a comment naming its origin.
    ///
    /// The output can be saved and used as a `--config` file.
    public func renderedForPrinting() -> String {
        var out = "# tracegw resolved configuration: value  # origin\n"
        let width = provenance.map { $0.key.count }.max() ?? 0
        for (key, value, origin) in provenance {
            let padded = key + ":" + String(repeating: " ", count: width - key.count)
            out += "\(padded) \(Self.yamlQuoted(value))  # \(origin)\n"
        }
        return out
    }

    /// Quotes a value for YAML when it is empty or contains characters YAML treats specially.
    static func yamlQuoted(_ value: String) -> String {
        let special: Set<Character> = [":", "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        if value.isEmpty || value.contains(where: special.contains) || value.first == " " || value.last == " " {
            var escaped = ""
            for c in value {
                if c == "\"" || c == "\\" { escaped.append("\\") }
                escaped.append(c)
            }
            return "\"\(escaped)\""
        }
        return value
    }
}
