/// The version `netcfg --version` prints.
public enum NetCfgVersion {
  public static let string = "0.1.0"
}
