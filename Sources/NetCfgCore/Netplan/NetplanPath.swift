import NetCfgYAML

/// Dotted paths as netplan spells them; the leading `network.` is optional.
public enum NetplanPath {
  public static func parse(_ text: String) throws(YAMLPathError) -> YAMLPath {
    let path = try YAMLPath.parse(text)
    if path.components.first == .key("network") { return path }
    return YAMLPath([.key("network")] + path.components)
  }
}
