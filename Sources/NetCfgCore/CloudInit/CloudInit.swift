import NetCfgYAML

/// What netcfg needs to know about cloud-init: whether it still writes the network config.
public enum CloudInit {
  public static let configDirectory = "/etc/cloud/cloud.cfg.d"

  /// True when a cloud.cfg.d file says `network: {config: disabled}` (cloud-init's own switch).
  public static func networkConfigDisabled(_ fs: FileSystem) -> Bool {
    let names = (try? fs.list(configDirectory)) ?? nil
    for name in names ?? [] where name.hasSuffix(".cfg") {
      guard let bytes = try? fs.read(configDirectory + "/" + name),
        let file = try? YAMLFile(name: name, bytes: bytes), let value = try? file.meaning()
      else { continue }
      if let config = value["network"]?["config"], case .scalar(let s) = config, s.text == "disabled" {
        return true
      }
    }
    return false
  }
}
