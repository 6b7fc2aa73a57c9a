import ArgumentParser
import NetCfgCore

struct NetCfg: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "netcfg",
    abstract: "Safely edit and apply netplan, systemd-resolved and resolv.conf configuration.",
    version: NetCfgVersion.string,
    subcommands: [
      Show.self, Status.self, Get.self, Explain.self, Validate.self, SetIP.self, Gateway.self, DHCP.self, DNS.self,
      SetKeys.self, Unset.self, Migrate.self, CloudInitCommand.self, Apply.self, Try.self, Confirm.self, Rollback.self,
      History.self, Recover.self, Watchdog.self, YAMLEditCommand.self,
    ]
  )
}
