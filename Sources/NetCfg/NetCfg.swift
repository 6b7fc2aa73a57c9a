import NetCfgCore

struct NetCfg: CommandGroup {
  static let info = CommandInfo(
    name: "netcfg",
    abstract: "Safely edit and apply netplan, systemd-resolved and resolv.conf configuration.",
    subcommands: [
      Show.self, Status.self, Get.self, Explain.self, Validate.self, SetIP.self, Gateway.self, DHCP.self, DNS.self,
      SetKeys.self, Unset.self, Migrate.self, CloudInitCommand.self, Apply.self, Try.self, Confirm.self, Rollback.self,
      History.self, Recover.self, Watchdog.self, YAMLEditCommand.self,
    ]
  )
}
